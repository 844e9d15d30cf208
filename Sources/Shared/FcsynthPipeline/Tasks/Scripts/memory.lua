-- What a script does when Redis is full (used memory past maxmemory, with noeviction). Redis
-- then answers OOM to a script's first command that may add memory (one flagged DENYOOM:
-- RPUSH, HSET, ZADD, XADD, SET...) as long as the script has written nothing, and lets
-- everything after its first write through, so that no script stops half-way. Redis 6.2 and
-- 7 agree on this for scripts without a shebang line, which these are. So each script says,
-- before its first write, which way it goes; PipelineScripts puts this file before every
-- script, after clock.lua.
-- stop_when_full: for scripts that add memory (a claim, which makes work that grows the run).
--   ZADD XX of the empty member, which no zset here holds, changes nothing, and Redis refuses
--   it when full: the script ends there with the OOM error, before any change.
local function stop_when_full(zset)
  redis.call('ZADD', zset, 'XX', 0, '')
end
-- go_when_full: for scripts that free memory or hold it level (a hand-off, a heartbeat, a
--   recovery, a release), which must not wait for room that only they can make. ZREM of the
--   empty member changes nothing, is never refused, and counts as the script's first write.
local function go_when_full(zset)
  redis.call('ZREM', zset, '')
end
