-- Sends a run's dead tasks back to their queues with fresh attempt and recovery counts, in
-- one atomic step. Entries that hold no task of this run (garbage pushed by hand) stay dead.
-- KEYS[1]: fcsynth:{RUN}:counters
-- KEYS[2]: fcsynth:{RUN}:dead
-- KEYS[3]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[4]: fcsynth:{RUN}:q:scenario_expand
-- KEYS[5]: fcsynth:{RUN}:q:atom_task
-- KEYS[6]: fcsynth:{RUN}:q:sequential_task
-- KEYS[7]: fcsynth:{RUN}:q:para_seq_task
-- KEYS[8]: fcsynth:{RUN}:q:composition_filter
-- KEYS[9]: fcsynth:{RUN}:q:function_gen
-- KEYS[10]: fcsynth:{RUN}:q:conversation
-- KEYS[11]: fcsynth:{RUN}:q:judge
-- ARGV: the run id, then the stage of each queue key in KEYS order (ARGV[i - 1] names KEYS[i]).
-- Returns the number of tasks requeued.
local counters, dead = KEYS[1], KEYS[2]
local queues = {}
for index = 3, #KEYS do queues[ARGV[index - 1]] = KEYS[index] end
local total = redis.call('LLEN', dead)
local requeued = 0
for _ = 1, total do
  local raw = redis.call('LPOP', dead)
  local ok, record = pcall(cjson.decode, raw)
  local header = ok and type(record) == 'table' and type(record.task) == 'string' and read_envelope(record.task)
  local queue = header and header.run == ARGV[1] and queues[header.stage]
  if queue then
    redis.call('RPUSH', queue, rewrite_envelope(record.task, header, 0, 0))
    redis.call('HINCRBY', counters, 'dead', -1)
    redis.call('HINCRBY', counters, 'failed:' .. header.stage, -1)
    requeued = requeued + 1
  else
    redis.call('RPUSH', dead, raw)
  end
end
return requeued
