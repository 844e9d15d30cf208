-- Returns a live worker's in-flight tasks to the front of their queues, except those it
-- names as still in hand: on graceful stop (it names none), and after a lost connection
-- (claims whose replies were lost are in Redis but not in the worker).
-- No recovery is counted: the worker did not die holding them. A cancelled run's tasks are
-- dropped instead, so that its queues stay empty.
-- KEYS[1]: the run's key prefix.
-- ARGV: worker id, then the tids to keep.
-- Returns the number of tasks released.
local prefix = KEYS[1]
local inflight = prefix .. 'inflight:' .. ARGV[1]
local cancelled = redis.call('HGET', prefix .. 'meta', 'state') == 'cancelled'
local keep = {}
for i = 2, #ARGV do keep[ARGV[i]] = true end

local released = 0
local held = redis.call('HGETALL', inflight)
for i = 1, #held, 2 do
  local tid, entry = held[i], held[i + 1]
  if not keep[tid] then
    local stage = string.match(entry, '^{"tid":"[^"]+","run":"[^"]*","stage":"([^"]*)"')
    redis.call('HDEL', inflight, tid)
    redis.call('HINCRBY', prefix .. 'counters', 'inflight:' .. (stage or 'unknown'), -1)
    if not cancelled then
      redis.call('LPUSH', prefix .. 'q:' .. (stage or 'unknown'), entry)
    end
    released = released + 1
  end
end
if redis.call('HLEN', inflight) == 0 then
  redis.call('ZREM', prefix .. 'workers', ARGV[1])
end
return released
