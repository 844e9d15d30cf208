-- Binds a run to its settings and its input in one atomic step, so that two enqueues
-- started at once cannot both take the run: the settings are set once and must match after;
-- the input may change only while the run holds none of its rows. Marks the run enqueuing.
-- KEYS[1]: fcsynth:{RUN}:settings
-- KEYS[2]: fcsynth:{RUN}:meta
-- ARGV: the run's settings (JSON), the input's identity (absolute path, or - for stdin).
-- Returns {"ok", cursor rows, cursor offset, cursor digest}, {"settings", stored settings},
--   {"cancelled"} or {"other_input", the input that holds the run's rows}.
local settings, meta = KEYS[1], KEYS[2]
local now = math.floor(server_time_ms() / 1000)

local stored = redis.call('GET', settings)
if stored and stored ~= ARGV[1] then
  return {'settings', stored}
end
local state, input, rows, offset, digest = unpack(redis.call('HMGET', meta, 'state', 'input', 'cursor_rows', 'cursor_offset', 'cursor_digest'))
if state == 'cancelled' then
  return {'cancelled'}
end
if input and input ~= ARGV[2] and tonumber(rows or '0') > 0 then
  return {'other_input', input}
end
if not stored then
  redis.call('SET', settings, ARGV[1])
end
redis.call('HSET', meta, 'state', 'enqueuing', 'input', ARGV[2])
redis.call('HSETNX', meta, 'created_at', now)
redis.call('HDEL', meta, 'enqueue_error')
return {'ok', rows or '0', offset or '0', digest or ''}
