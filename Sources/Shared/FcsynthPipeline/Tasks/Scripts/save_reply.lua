-- Stores one LLM answer in a task's replay hash, and renews the hash's time to live, only while
-- the run exists: an answer that arrives after `cancel --purge` deleted the run's keys would
-- make the hash again, and nothing would delete it until it expired. The tid joins the run's
-- `answered` set, which tells the task's next claim to read the hash (claim_tasks.lua).
-- KEYS[1]: fcsynth:{RUN}:meta
-- KEYS[2]: fcsynth:{RUN}:answered
-- KEYS[3...]: fcsynth:{RUN}:replay:TID
-- ARGV: the answer's field, the answer, the time to live (ms), the tid.
-- Returns 1 when stored, 0 when the run is gone.
local meta, answered, replay = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', meta) == 0 then
  return 0
end
-- The HSET is the first write: a full Redis refuses it before any change (memory.lua).
redis.call('HSET', replay, ARGV[1], ARGV[2])
redis.call('PEXPIRE', replay, ARGV[3])
redis.call('SADD', answered, ARGV[4])
return 1
