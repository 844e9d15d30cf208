-- Returns the in-flight tasks of workers whose lease has expired (killed, or cut off) to
-- the front of their queues, counting one recovery each; a task recovered more than
-- ARGV[2] times has taken down that many workers and goes to dead instead.
-- At most one sweep per run per interval: the guard key expires on its own.
-- KEYS[1]: the run's key prefix.
-- ARGV: now (ms), max recoveries, sweep interval (ms), sweeping worker id.
-- Returns {workers recovered, tasks requeued, tasks dead}.
local prefix = KEYS[1]
local now = tonumber(ARGV[1])
local maxRecoveries = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])

if not redis.call('SET', prefix .. 'sweep', ARGV[4], 'NX', 'PX', interval) then
  return {0, 0, 0}
end

local counters = prefix .. 'counters'
local expired = redis.call('ZRANGEBYSCORE', prefix .. 'workers', '-inf', now)
local requeued, dead = 0, 0
for _, worker in ipairs(expired) do
  local inflight = prefix .. 'inflight:' .. worker
  local held = redis.call('HGETALL', inflight)
  for i = 1, #held, 2 do
    local entry = held[i + 1]
    local head, stage, attempt, recoveries, rest = string.match(entry,
      '^({"tid":"[^"]+","run":"[^"]*","stage":")([^"]*)(","attempt":%d+,"recoveries":)(%d+)(,"item":.*)$')
    redis.call('HINCRBY', counters, 'inflight:' .. (stage or 'unknown'), -1)
    local count = tonumber(recoveries or '0') + 1
    if stage and count <= maxRecoveries then
      redis.call('LPUSH', prefix .. 'q:' .. stage, head .. stage .. attempt .. count .. rest)
      requeued = requeued + 1
    else
      redis.call('RPUSH', prefix .. 'dead', cjson.encode({stage = stage, reason = 'held by ' .. count .. ' workers that died or were cut off', task = entry}))
      redis.call('HINCRBY', counters, 'dead', 1)
      redis.call('HINCRBY', counters, 'failed:' .. (stage or 'unknown'), 1)
      dead = dead + 1
    end
  end
  redis.call('DEL', inflight)
  redis.call('ZREM', prefix .. 'workers', worker)
end
if requeued > 0 then
  redis.call('HINCRBY', counters, 'recovered', requeued)
end
return {#expired, requeued, dead}
