-- Takes or keeps the run's batch leadership: one worker at a time submits and polls the run's
-- batches. The lease is Redis's (PX), so that a worker whose clock is off neither holds it
-- forever nor loses it early.
-- KEYS[1]: fcsynth:{RUN}:meta
-- KEYS[2]: fcsynth:{RUN}:batch_leader
-- ARGV: the worker's token, the lease (ms).
-- Returns 1 while this token leads, 0 while another does or the run is gone.
local meta, leader = KEYS[1], KEYS[2]
if redis.call('EXISTS', meta) == 0 then
  return 0
end
local holder = redis.call('GET', leader)
if holder == ARGV[1] then
  redis.call('PEXPIRE', leader, ARGV[2])
  return 1
end
if holder then
  return 0
end
-- A full Redis refuses the SET, and nothing else was written.
redis.call('SET', leader, ARGV[1], 'PX', ARGV[2])
return 1
