-- Renews a worker's lease on its in-flight tasks of one run: its heartbeat. The expiry is
-- Redis's now plus the lease, so a worker whose own clock is off keeps a true lease.
-- KEYS[1]: fcsynth:{RUN}:workers
-- ARGV: worker id, lease (ms).
local expiry = server_time_ms() + tonumber(ARGV[2])
-- Renewing an existing lease adds nothing: a full Redis must not let live workers' leases lapse.
go_when_full(KEYS[1])
return redis.call('ZADD', KEYS[1], expiry, ARGV[1])
