-- Takes one request and an estimate of its tokens from a run's fleet-wide token buckets,
-- which refill continuously at the run's per-minute limits and hold one second's worth,
-- so that all workers together stay within the limits. Honours a fleet-wide pause set
-- after a 429.
-- KEYS[1]: the run's key prefix.  KEYS[2]: the namespace's LLM pause key.
-- ARGV: now (ms), requests per minute (0: none), tokens per minute (0: none), tokens wanted.
-- Returns 0 when the call may go, else the milliseconds to wait before asking again.
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])

local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then
  return pausedUntil - now
end
if rpm <= 0 and tpm <= 0 then
  return 0
end

local bucket = KEYS[1] .. 'ratelimit'
local state = redis.call('HMGET', bucket, 'requests', 'tokens', 'at')
local elapsed = math.max(0, now - (tonumber(state[3]) or now))
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
