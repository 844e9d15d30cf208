-- Hands off finished tasks in one atomic step. For each task: if it is still in this
-- worker's in-flight hash, remove it and apply its operations (push the next tasks, add
-- the output entry, record a filter or a death, count); if a sweeper meanwhile gave it to
-- another worker, write nothing, so that nothing downstream or in the output is doubled.
-- A cancelled run's queues stay empty: its tasks that finish after the cancel push nothing on.
-- KEYS[1]: fcsynth:{RUN}:meta
-- KEYS[2]: fcsynth:{RUN}:counters
-- KEYS[3]: fcsynth:{RUN}:inflight:WORKER
-- KEYS[4]: fcsynth:{RUN}:delayed
-- KEYS[5]: fcsynth:{RUN}:out
-- KEYS[6]: fcsynth:{RUN}:filtered
-- KEYS[7]: fcsynth:{RUN}:dead
-- KEYS[8]: fcsynth:{RUN}:parked
-- KEYS[9]: fcsynth:{RUN}:pending
-- KEYS[10]: fcsynth:{RUN}:answered
-- KEYS[11]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[12]: fcsynth:{RUN}:q:scenario_expand
-- KEYS[13]: fcsynth:{RUN}:q:atom_task
-- KEYS[14]: fcsynth:{RUN}:q:sequential_task
-- KEYS[15]: fcsynth:{RUN}:q:para_seq_task
-- KEYS[16]: fcsynth:{RUN}:q:composition_filter
-- KEYS[17]: fcsynth:{RUN}:q:function_gen
-- KEYS[18]: fcsynth:{RUN}:q:conversation
-- KEYS[19]: fcsynth:{RUN}:q:judge
-- KEYS[20...]: fcsynth:{RUN}:replay:TID, one per task, in the order of the tasks in ARGV
-- ARGV: the number of queue keys, the stage of each queue key in KEYS order (ARGV[i - 9]
--   names KEYS[i]), then per task: tid, stage, operation count, operations...
-- Operations: "push" stage entry | "delay" ms entry (due that long after Redis's now, by
--   clock.lua, whatever the worker's clock says) | "out" id record | "filter" record |
--   "dead" record | "incr" field amount | "forget" (delete the task's replay hash, and take its
--   tid out of `answered`) | "mark" field (its answer's tokens are counted) | "drop" field (an answer the stage refused) |
--   "park" entry request (batch mode: the task waits in `parked` for the answer to `request`,
--   which joins `pending`, scored by Redis's now)
-- Returns {tasks applied, {tids that were no longer this worker's}}.
local meta, counters, inflight, delayed, out, filtered, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local parked, pending, answered = KEYS[8], KEYS[9], KEYS[10]
local now = server_time_ms()
-- Each hand-off frees its in-flight entry and replay hash as it writes the next step: a full
-- Redis takes it, since claims (stop_when_full) add no more work meanwhile (memory.lua).
go_when_full(delayed)
local queueCount = tonumber(ARGV[1])
local lastQueue = 10 + queueCount
local queues = {}
for index = 11, lastQueue do queues[ARGV[index - 9]] = KEYS[index] end
local cancelled = redis.call('HGET', meta, 'state') == 'cancelled'

local applied = 0
local stale = {}
-- The first task follows the count and one stage name per queue key.
local index = 2 + queueCount
local task = 0
while index <= #ARGV do
  task = task + 1
  local replay = KEYS[lastQueue + task]
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
      local queue = queues[ARGV[index + 1]]
      if not queue then
        return redis.error_reply('complete_tasks: no queue for stage ' .. tostring(ARGV[index + 1]))
      end
      if owned and not cancelled then redis.call('RPUSH', queue, ARGV[index + 2]) end
      index = index + 3
    elseif op == 'delay' then
      if owned and not cancelled then redis.call('ZADD', delayed, now + tonumber(ARGV[index + 1]), ARGV[index + 2]) end
      index = index + 3
    elseif op == 'out' then
      -- Never trimmed here: only exporters' acknowledgements trim the stream (acknowledge_export.lua).
      if owned then redis.call('XADD', out, '*', 'id', ARGV[index + 1], 'record', ARGV[index + 2]) end
      index = index + 3
    elseif op == 'filter' then
      if owned then redis.call('RPUSH', filtered, ARGV[index + 1]) end
      index = index + 2
    elseif op == 'dead' then
      if owned then redis.call('RPUSH', dead, ARGV[index + 1]) end
      index = index + 2
    elseif op == 'forget' then
      if owned then
        redis.call('DEL', replay)
        redis.call('SREM', answered, tid)
      end
      index = index + 1
    elseif op == 'mark' then
      if owned then
        redis.call('HSET', replay, ARGV[index + 1], '1')
        redis.call('SADD', answered, tid)
      end
      index = index + 2
    elseif op == 'park' then
      if owned and not cancelled then
        redis.call('HSET', parked, tid, ARGV[index + 1])
        redis.call('ZADD', pending, now, ARGV[index + 2])
      end
      index = index + 3
    elseif op == 'drop' then
      if owned then redis.call('HDEL', replay, ARGV[index + 1]) end
      index = index + 2
    else
      return redis.error_reply('complete_tasks: unknown operation ' .. tostring(op))
    end
  end
end
return {applied, stale}
