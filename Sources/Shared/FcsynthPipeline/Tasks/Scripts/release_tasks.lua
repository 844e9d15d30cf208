-- Returns a live worker's in-flight tasks to the front of their queues, except those it
-- names as still in hand: on graceful stop (it names none), and after a lost connection
-- (claims whose replies were lost are in Redis but not in the worker).
-- No recovery is counted: the worker did not die holding them. A cancelled run's tasks are
-- dropped instead, so that its queues stay empty. An entry that is no task of a known stage
-- (put there by hand: claims check every entry) goes to dead.
-- KEYS[1]: fcsynth:{RUN}:meta
-- KEYS[2]: fcsynth:{RUN}:counters
-- KEYS[3]: fcsynth:{RUN}:dead
-- KEYS[4]: fcsynth:{RUN}:workers
-- KEYS[5]: fcsynth:{RUN}:inflight:WORKER
-- KEYS[6]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[7]: fcsynth:{RUN}:q:scenario_expand
-- KEYS[8]: fcsynth:{RUN}:q:atom_task
-- KEYS[9]: fcsynth:{RUN}:q:sequential_task
-- KEYS[10]: fcsynth:{RUN}:q:para_seq_task
-- KEYS[11]: fcsynth:{RUN}:q:composition_filter
-- KEYS[12]: fcsynth:{RUN}:q:function_gen
-- KEYS[13]: fcsynth:{RUN}:q:conversation
-- KEYS[14]: fcsynth:{RUN}:q:judge
-- ARGV: worker id, the stage of each queue key in KEYS order (ARGV[i - 4] names KEYS[i]),
--   then the tids to keep.
-- Returns the number of tasks released.
local meta, counters, dead, workers, inflight = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
-- Tasks go back from the in-flight hash to their queues: memory stays level.
go_when_full(workers)
local queues = {}
for index = 6, #KEYS do queues[ARGV[index - 4]] = KEYS[index] end
local cancelled = redis.call('HGET', meta, 'state') == 'cancelled'
local keep = {}
-- The tids follow the worker id and one stage name per queue key.
for i = 2 + (#KEYS - 5), #ARGV do keep[ARGV[i]] = true end

local released = 0
local held = redis.call('HGETALL', inflight)
for i = 1, #held, 2 do
  local tid, entry = held[i], held[i + 1]
  if not keep[tid] then
    local header = read_envelope(entry)
    local stage = header and header.stage or 'unknown'
    local queue = header and queues[header.stage]
    redis.call('HDEL', inflight, tid)
    redis.call('HINCRBY', counters, 'inflight:' .. stage, -1)
    if queue and not cancelled then
      redis.call('LPUSH', queue, entry)
    elseif not cancelled then
      redis.call('RPUSH', dead, cjson.encode({stage = header and header.stage, reason = 'not a task of a known stage, found in flight', task = entry}))
      redis.call('HINCRBY', counters, 'dead', 1)
      redis.call('HINCRBY', counters, 'failed:' .. stage, 1)
    end
    released = released + 1
  end
end
if redis.call('HLEN', inflight) == 0 then
  redis.call('ZREM', workers, ARGV[1])
end
return released
