-- Applies a finished batch's lines, each once: a line applies only while its request is still
-- in the batch, so that a leader that died settling, and the next that settles the same files
-- again, add nothing twice. An answer goes into the task's replay hash, where the task's next
-- attempt finds it, and the parked task goes back to its queue; a failed line goes back to
-- pending, or past the attempt limit the task is dead. The batch closes with its last line.
-- KEYS[1]: fcsynth:{RUN}:meta
-- KEYS[2]: fcsynth:{RUN}:counters
-- KEYS[3]: fcsynth:{RUN}:parked
-- KEYS[4]: fcsynth:{RUN}:pending
-- KEYS[5]: fcsynth:{RUN}:batches
-- KEYS[6]: fcsynth:{RUN}:dead
-- KEYS[7]: fcsynth:{RUN}:batched:BATCH
-- KEYS[8]: fcsynth:{RUN}:answered
-- KEYS[9]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[10]: fcsynth:{RUN}:q:scenario_expand
-- KEYS[11]: fcsynth:{RUN}:q:atom_task
-- KEYS[12]: fcsynth:{RUN}:q:sequential_task
-- KEYS[13]: fcsynth:{RUN}:q:para_seq_task
-- KEYS[14]: fcsynth:{RUN}:q:composition_filter
-- KEYS[15]: fcsynth:{RUN}:q:function_gen
-- KEYS[16]: fcsynth:{RUN}:q:conversation
-- KEYS[17]: fcsynth:{RUN}:q:judge
-- KEYS[18...]: fcsynth:{RUN}:replay:TID, one per line, in the order of the lines in ARGV
-- ARGV: the batch id, the replay hashes' time to live (ms), the number of queue keys, the
--   stage of each queue key in KEYS order (ARGV[i - 5] names KEYS[i]), then per line one of:
--   "answer" request-id tid stage field reply | "retry" request-id pending-member |
--   "fail" request-id tid stage dead-record
-- Returns {lines applied, 1 if the batch closed else 0}.
local meta, counters, parked, pending, batches, dead, batched, answered =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
-- A purged run's keys are gone: answers written now would make replay hashes nothing deletes.
if redis.call('EXISTS', meta) == 0 then
  return {0, 0}
end
local now = server_time_ms()
-- Settling frees the batch's copies as it writes answers: it must go on when Redis is full.
go_when_full(pending)
local ttl = ARGV[2]
local queueCount = tonumber(ARGV[3])
local lastQueue = 8 + queueCount
local queues = {}
for index = 9, lastQueue do queues[ARGV[index - 5]] = KEYS[index] end
local cancelled = redis.call('HGET', meta, 'state') == 'cancelled'

local applied = 0
local index = 4 + queueCount
local line = 0
while index <= #ARGV do
  line = line + 1
  local replay = KEYS[lastQueue + line]
  local kind, id = ARGV[index], ARGV[index + 1]
  local owned = redis.call('HDEL', batched, id) == 1
  if owned then applied = applied + 1 end
  if kind == 'answer' then
    if owned then
      local tid, stage = ARGV[index + 2], ARGV[index + 3]
      redis.call('HSET', replay, ARGV[index + 4], ARGV[index + 5])
      redis.call('PEXPIRE', replay, ttl)
      redis.call('SADD', answered, tid)
      local entry = redis.call('HGET', parked, tid)
      if entry then
        redis.call('HDEL', parked, tid)
        local queue = queues[stage]
        if not queue then
          return redis.error_reply('settle_batch: no queue for stage ' .. tostring(stage))
        end
        if not cancelled then redis.call('RPUSH', queue, entry) end
      end
      redis.call('HINCRBY', counters, 'batch_answered', 1)
    end
    index = index + 6
  elseif kind == 'retry' then
    if owned and not cancelled then
      redis.call('ZADD', pending, now, ARGV[index + 2])
      redis.call('HINCRBY', counters, 'batch_retried', 1)
    end
    index = index + 3
  elseif kind == 'fail' then
    if owned then
      local tid, stage = ARGV[index + 2], ARGV[index + 3]
      if redis.call('HDEL', parked, tid) == 1 then
        redis.call('RPUSH', dead, ARGV[index + 4])
        redis.call('HINCRBY', counters, 'dead', 1)
        redis.call('HINCRBY', counters, 'failed:' .. stage, 1)
      end
      redis.call('HINCRBY', counters, 'batch_failed', 1)
    end
    index = index + 5
  else
    return redis.error_reply('settle_batch: unknown line kind ' .. tostring(kind))
  end
end
local closed = 0
if redis.call('EXISTS', batched) == 0 and redis.call('HDEL', batches, ARGV[1]) == 1 then
  redis.call('HINCRBY', counters, 'batch_rounds', 1)
  closed = 1
end
return {applied, closed}
