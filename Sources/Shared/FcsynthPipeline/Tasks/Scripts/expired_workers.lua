-- The workers of one run whose lease has passed by Redis's clock: the candidates a sweep gives
-- recover_tasks.lua, which is handed their in-flight hashes and checks each lease again.
-- KEYS[1]: fcsynth:{RUN}:workers
-- ARGV: none.
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', server_time_ms())
