-- Adds a batch of input rows to a run's first queue and moves the resume cursor past them,
-- in one atomic step, skipping rows whose seed chat the run has already taken. Fingerprints
-- live in small hashes (by the fingerprint's top 16 bits), which Redis keeps in its compact
-- encoding: a few bytes per row.
-- The batch applies only where its reader started it: the run still taking rows, from the
-- same input, with the cursor where the batch's first row follows it. Two enqueues of one
-- file at once thus take each row once (the one behind drops its batch and skips ahead),
-- and an enqueue whose run was cancelled, closed or given another input writes nothing.
-- KEYS[1]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[2]: fcsynth:{RUN}:counters
-- KEYS[3]: fcsynth:{RUN}:meta
-- KEYS[4...]: fcsynth:{RUN}:seen:XXXX, one per bucket the batch's rows fall in
-- ARGV: input identity, cursor rows the batch follows, new cursor rows, offset and digest,
--   bad rows in this batch, the enqueue's own token (kept as `cursor_by`, so that an enqueue
--   whose reply was lost can tell its own batch from another's that reached the same
--   cursor), then per row: the KEYS index of its bucket, fingerprint
--   (6 bytes), line, task entry.
-- Returns {first queue length, {line, line it repeats, ...}}; or {-1, cursor rows, offset,
--   digest} when the cursor is elsewhere, {-2, input} for another input, {-3, state} when
--   the run takes no rows.
local queue, counters, meta = KEYS[1], KEYS[2], KEYS[3]

local state, input, rows, offset, digest = unpack(redis.call('HMGET', meta, 'state', 'input', 'cursor_rows', 'cursor_offset', 'cursor_digest'))
-- The cursor before the state: an enqueue behind one that finished the input skips ahead.
if input ~= ARGV[1] then
  return {-2, input or ''}
end
if tonumber(rows or '0') ~= tonumber(ARGV[2]) then
  return {-1, rows or '0', offset or '0', digest or ''}
end
if state ~= 'enqueuing' then
  return {-3, state or 'missing'}
end

-- The first write is an HSETNX (or, for a batch of bad rows only, an HINCRBY): a full Redis
-- refuses it before any change, so that a batch lands whole or not at all (memory.lua).
local entries = {}
local duplicates = {}
for i = 8, #ARGV, 4 do
  local bucket = KEYS[tonumber(ARGV[i])]
  if redis.call('HSETNX', bucket, ARGV[i + 1], ARGV[i + 2]) == 1 then
    entries[#entries + 1] = ARGV[i + 3]
  else
    duplicates[#duplicates + 1] = tonumber(ARGV[i + 2])
    duplicates[#duplicates + 1] = tonumber(redis.call('HGET', bucket, ARGV[i + 1]))
  end
end

if #entries > 0 then
  redis.call('RPUSH', queue, unpack(entries))
  redis.call('HINCRBY', counters, 'rows_enqueued', #entries)
  redis.call('HINCRBY', counters, 'items', #entries)
end
if tonumber(ARGV[6]) > 0 then
  redis.call('HINCRBY', counters, 'rows_rejected', ARGV[6])
end
if #duplicates > 0 then
  redis.call('HINCRBY', counters, 'rows_duplicate', #duplicates / 2)
end
redis.call('HSET', meta, 'cursor_rows', ARGV[3], 'cursor_offset', ARGV[4], 'cursor_digest', ARGV[5], 'cursor_by', ARGV[7])
return {redis.call('LLEN', queue), duplicates}
