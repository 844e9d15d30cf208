-- Adds a batch of input rows to a run's first queue and moves the resume cursor past them,
-- in one atomic step, skipping rows whose seed chat the run has already taken. Fingerprints
-- live in small hashes (by the fingerprint's top 16 bits), which Redis keeps in its compact
-- encoding: a few bytes per row.
-- KEYS[1]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[2]: fcsynth:{RUN}:counters
-- KEYS[3]: fcsynth:{RUN}:meta
-- KEYS[4...]: fcsynth:{RUN}:seen:XXXX, one per bucket the batch's rows fall in
-- ARGV: cursor rows, cursor offset, rows rejected in this batch, then per row:
--   the KEYS index of its bucket, fingerprint (6 bytes), line, task entry.
-- Returns {first queue length, {line, line it repeats, ...}}.
local queue, counters, meta = KEYS[1], KEYS[2], KEYS[3]

local entries = {}
local duplicates = {}
for i = 4, #ARGV, 4 do
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
local rejected = tonumber(ARGV[3]) + #duplicates / 2
if rejected > 0 then
  redis.call('HINCRBY', counters, 'rows_rejected', rejected)
end
if #duplicates > 0 then
  redis.call('HINCRBY', counters, 'rows_duplicate', #duplicates / 2)
end
redis.call('HSET', meta, 'cursor_rows', ARGV[1], 'cursor_offset', ARGV[2])
return {redis.call('LLEN', queue), duplicates}
