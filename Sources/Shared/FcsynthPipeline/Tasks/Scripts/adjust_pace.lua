-- The fleet's shared concurrency window, adjusted from what the workers heard since they last
-- asked. It starts small and doubles with each report of successes until the first concurrency
-- 429 (slow start); from then on it grows by one for each window's worth of successes, at most
-- one per report, and halves after a concurrency 429 (additive increase, multiplicative
-- decrease). One cut per hold time, however many workers report the same overload, so that a
-- burst of 429s halves the window once.
-- A worker is counted live while its entry, renewed by each call, has not expired by Redis's
-- clock; its share of the window is the window over the live workers.
-- KEYS[1]: fcsynth:pace
-- KEYS[2]: fcsynth:pace_workers
-- ARGV: worker id, the worker's --concurrency, successes, concurrency 429s, hold after a cut (ms),
-- how long the worker counts as live without asking again (ms), the starting window per worker.
-- Returns {window, live workers}.
local pace, members = KEYS[1], KEYS[2]
local worker = ARGV[1]
local concurrency = math.max(1, tonumber(ARGV[2]))
local successes = math.max(0, tonumber(ARGV[3]))
local throttles = math.max(0, tonumber(ARGV[4]))
local hold = tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
local initial = math.max(1, tonumber(ARGV[7]))

local now = server_time_ms()
redis.call('ZADD', members, now + ttl, worker)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', members, '-inf', now)) do
  redis.call('ZREM', members, gone)
end
local live = math.max(1, redis.call('ZCARD', members))
-- Each live worker's own --concurrency is its ceiling; this one's stands for them all.
local ceiling = concurrency * live

local state = redis.call('HMGET', pace, 'window', 'credit', 'hold_until', 'threshold')
local window = tonumber(state[1]) or math.min(ceiling, initial * live)
local credit = tonumber(state[2]) or 0
local holdUntil = tonumber(state[3]) or 0
-- 0 until the first cut: the window is still finding the endpoint's limit.
local threshold = tonumber(state[4]) or 0

if throttles > 0 then
  if now >= holdUntil then
    window = math.max(1, math.floor(window / 2))
    threshold = window
    credit = 0
    holdUntil = now + hold
  end
elseif successes > 0 then
  if threshold == 0 then
    window = math.min(window * 2, window + successes)
  else
    -- Successes beyond one window's worth carry nothing over: the window grows by one per report at most.
    credit = math.min(credit + successes, 2 * window)
    if credit >= window then
      credit = credit - window
      window = window + 1
    end
  end
end
window = math.min(window, ceiling)
if window >= ceiling then credit = 0 end

redis.call('HSET', pace, 'window', window, 'credit', credit, 'hold_until', holdUntil, 'threshold', threshold)
redis.call('PEXPIRE', pace, 3600000)
redis.call('PEXPIRE', members, ttl * 2)
return {window, live}
