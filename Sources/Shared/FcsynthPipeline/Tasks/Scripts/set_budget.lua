-- Sets a run's budget, atomically with the claims that read it (claim_tasks.lua): raised past
-- the spend, the run's first stage is claimed from again at the workers' next claim, so the run
-- resumes by itself. Enqueue sets the budget only where the run has none, so that resuming an
-- enqueue cannot undo a raise; `fcsynth budget` replaces it.
-- KEYS[1]: fcsynth:{RUN}:meta
-- ARGV: "initial" or "replace", the cost limit in billionths ("" leaves it; "0": none), the
--   token limit ("" leaves it; "0": none).
-- Returns {"ok", cost limit, token limit} as stored after the call ("0": none), or {"unknown"}.
local meta = KEYS[1]
local now = server_time_ms()
if not redis.call('HGET', meta, 'state') then
  return {'unknown'}
end
local function store(field, value)
  if value == '' then return end
  if ARGV[1] == 'initial' and redis.call('HEXISTS', meta, field) == 1 then return end
  redis.call('HSET', meta, field, value)
end
store('budget_nano_usd', ARGV[2])
store('budget_tokens', ARGV[3])
redis.call('HSET', meta, 'budget_set_at', now)
local cost, tokens = unpack(redis.call('HMGET', meta, 'budget_nano_usd', 'budget_tokens'))
return {'ok', cost or '0', tokens or '0'}
