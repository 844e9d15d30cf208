-- Ends an enqueue: "enqueued" when the input is complete (its last row read, or a user
-- closing an input that stopped short), or "stopped" when a file error ended it early, with
-- the error, so that status can say how to go on. Only a run that is still taking rows
-- changes: a cancel, or another input bound meanwhile, is never overwritten.
-- KEYS[1]: fcsynth:{RUN}:meta
-- ARGV: the new state (enqueued or stopped), the input's identity (empty: whichever input),
--   the error (for stopped).
-- Returns {1, ""} when the state changed, or {0, the state it found}.
local meta = KEYS[1]
local state, input = unpack(redis.call('HMGET', meta, 'state', 'input'))
if (state ~= 'enqueuing' and state ~= 'stopped') or (ARGV[2] ~= '' and input ~= ARGV[2]) then
  return {0, state or 'missing'}
end
local now = math.floor(server_time_ms() / 1000)
if ARGV[1] == 'enqueued' then
  redis.call('HSET', meta, 'state', 'enqueued', 'enqueued_at', now)
  redis.call('HDEL', meta, 'enqueue_error')
else
  redis.call('HSET', meta, 'state', 'stopped', 'enqueue_error', ARGV[3], 'stopped_at', now)
end
return {1, ''}
