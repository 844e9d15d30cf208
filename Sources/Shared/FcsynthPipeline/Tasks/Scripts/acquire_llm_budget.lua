-- Takes one request and an estimate of its tokens from a run's fleet-wide token buckets,
-- which refill continuously at the run's per-minute limits and hold one second's worth,
-- so that all workers together stay within the limits. Honours a fleet-wide pause set
-- after a 429.
-- Time is the server's: workers' clocks differ, and a bucket refilled by a timestamp that
-- runs backwards would hand out more than the limit.
-- KEYS[1]: fcsynth:{RUN}:ratelimit
-- KEYS[2]: fcsynth:llm_pause, which exists while the fleet is paused
-- ARGV: requests per minute (0: none), tokens per minute (0: none), tokens wanted.
-- Returns 0 when the call may go, else the milliseconds to wait before asking again.
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])

local bucket, pause = KEYS[1], KEYS[2]
local paused = redis.call('PTTL', pause)
if paused > 0 then
  return paused
end
local now = server_time_ms()
if rpm <= 0 and tpm <= 0 then
  return 0
end

local state = redis.call('HMGET', bucket, 'requests', 'tokens', 'at')
local last = tonumber(state[3]) or now
local elapsed = math.max(0, now - last)
now = math.max(now, last)
local wait = 0

local requests = 0
if rpm > 0 then
  local capacity = math.max(1, rpm / 60)
  requests = math.min(capacity, (tonumber(state[1]) or capacity) + elapsed * rpm / 60000)
  if requests < 1 then wait = math.ceil((1 - requests) * 60000 / rpm) end
end
local tokens = 0
if tpm > 0 then
  local capacity = math.max(wanted, tpm / 60)
  tokens = math.min(capacity, (tonumber(state[2]) or capacity) + elapsed * tpm / 60000)
  if tokens < wanted then wait = math.max(wait, math.ceil((wanted - tokens) * 60000 / tpm)) end
end

if wait == 0 then
  requests = requests - 1
  tokens = tokens - wanted
end
redis.call('HSET', bucket, 'requests', tostring(requests), 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', bucket, 120000)
return wait
