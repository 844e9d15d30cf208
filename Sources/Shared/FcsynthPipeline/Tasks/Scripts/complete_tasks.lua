-- Hands off finished tasks in one atomic step. For each task: if it is still in this
-- worker's in-flight hash, remove it and apply its operations (push the next tasks, add
-- the output entry, record a filter or a death, count); if a sweeper meanwhile gave it to
-- another worker, write nothing, so that nothing downstream or in the output is doubled.
-- A cancelled run's queues stay empty: its tasks that finish after the cancel push nothing on.
-- KEYS[1]: the run's key prefix.
-- ARGV: worker id, output stream cap (0: none), then per task:
--   tid, stage, operation count, operations...
-- Operations: "push" stage entry | "delay" ready-ms entry | "out" id record |
--   "filter" record | "dead" record | "incr" field amount
-- Returns {tasks applied, {tids that were no longer this worker's}}.
local prefix = KEYS[1]
local worker = ARGV[1]
local cap = tonumber(ARGV[2])
local inflight = prefix .. 'inflight:' .. worker
local counters = prefix .. 'counters'
local cancelled = redis.call('HGET', prefix .. 'meta', 'state') == 'cancelled'

local applied = 0
local stale = {}
local index = 3
while index <= #ARGV do
  local tid = ARGV[index]
  local stage = ARGV[index + 1]
  local count = tonumber(ARGV[index + 2])
  index = index + 3
  local owned = redis.call('HDEL', inflight, tid) == 1
  if owned then
    applied = applied + 1
    redis.call('HINCRBY', counters, 'inflight:' .. stage, -1)
  else
    stale[#stale + 1] = tid
  end
  for _ = 1, count do
    local op = ARGV[index]
    if op == 'incr' then
      if owned then redis.call('HINCRBY', counters, ARGV[index + 1], ARGV[index + 2]) end
      index = index + 3
    elseif op == 'push' then
      if owned and not cancelled then redis.call('RPUSH', prefix .. 'q:' .. ARGV[index + 1], ARGV[index + 2]) end
      index = index + 3
    elseif op == 'delay' then
      if owned and not cancelled then redis.call('ZADD', prefix .. 'delayed', ARGV[index + 1], ARGV[index + 2]) end
      index = index + 3
    elseif op == 'out' then
      if owned then
        if cap > 0 then
          redis.call('XADD', prefix .. 'out', 'MAXLEN', '~', cap, '*', 'id', ARGV[index + 1], 'record', ARGV[index + 2])
        else
          redis.call('XADD', prefix .. 'out', '*', 'id', ARGV[index + 1], 'record', ARGV[index + 2])
        end
      end
      index = index + 3
    elseif op == 'filter' then
      if owned then redis.call('RPUSH', prefix .. 'filtered', ARGV[index + 1]) end
      index = index + 2
    elseif op == 'dead' then
      if owned then redis.call('RPUSH', prefix .. 'dead', ARGV[index + 1]) end
      index = index + 2
    else
      return redis.error_reply('complete_tasks: unknown operation ' .. tostring(op))
    end
  end
end
return {applied, stale}
