-- Stores LLM answers in the run-wide response cache shared by every run of the namespace, in
-- one atomic step: drops the answers whose time to live has passed (by Redis's clock), adds
-- the new ones, each expiring ARGV[1] ms from now, then drops the answers that expire first
-- until the stored bytes are within ARGV[2]. An answer alone larger than that is not stored.
-- The cache's keys share one hash tag and so one Redis Cluster slot, never a run's.
-- KEYS[1]: fcsynth:{@cache}:entries
-- KEYS[2]: fcsynth:{@cache}:expiry
-- KEYS[3]: fcsynth:{@cache}:bytes
-- ARGV: time to live (ms), the cap (bytes), then per answer: its request key, the answer.
-- Returns {answers stored, bytes stored in all}.
local entries, expiry, bytes = KEYS[1], KEYS[2], KEYS[3]
local now = server_time_ms()
-- A cache is never worth a full Redis: the answers are simply not kept (memory.lua).
stop_when_full(expiry)
local ttl, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
local total = tonumber(redis.call('GET', bytes) or '0')

local function drop(name)
  total = total - redis.call('HSTRLEN', entries, name)
  redis.call('HDEL', entries, name)
  redis.call('ZREM', expiry, name)
end

for _, name in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', now)) do drop(name) end
local stored = 0
for i = 3, #ARGV, 2 do
  local name, value = ARGV[i], ARGV[i + 1]
  if #value <= cap then
    if redis.call('HEXISTS', entries, name) == 1 then drop(name) end
    redis.call('HSET', entries, name, value)
    redis.call('ZADD', expiry, now + ttl, name)
    total = total + #value
    stored = stored + 1
  end
end
while total > cap do
  local first = redis.call('ZRANGE', expiry, 0, 0)[1]
  if not first then break end
  drop(first)
end
redis.call('SET', bytes, total)
return {stored, total}
