-- Records how far one export destination has written the output stream safely (flushed and
-- synced), then trims the stream below what every registered destination has acknowledged,
-- so that no exporter, however far behind or stopped, loses an entry to the trim.
-- KEYS[1]: fcsynth:{RUN}:exporters
-- KEYS[2]: fcsynth:{RUN}:out
-- ARGV: destination, the stream id of the last entry it wrote ("0-0" registers it at the start)
-- Returns the number of entries trimmed.
local exporters, out = KEYS[1], KEYS[2]
local destination, acknowledged = ARGV[1], ARGV[2]

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  if not ms then return nil end
  return tonumber(ms), tonumber(seq)
end

if not parse(acknowledged) then
  return redis.error_reply('acknowledge_export: not a stream id: ' .. tostring(acknowledged))
end
local previous = redis.call('HGET', exporters, destination)
if previous then
  local pms, pseq = parse(previous)
  local ams, aseq = parse(acknowledged)
  -- A destination only moves forward; a late or repeated acknowledgement changes nothing.
  if pms and (ams < pms or (ams == pms and aseq < pseq)) then acknowledged = previous end
end
-- The lowest mark once this one is recorded.
local lowestMs, lowestSeq = parse(acknowledged)
local marks = redis.call('HGETALL', exporters)
for i = 1, #marks, 2 do
  local ms, seq = parse(marks[i + 1])
  if marks[i] ~= destination and ms and (ms < lowestMs or (ms == lowestMs and seq < lowestSeq)) then
    lowestMs, lowestSeq = ms, seq
  end
end
-- The trim comes first, even when it trims nothing (MINID 0-1: no entry is below it): it is
-- never refused, and after it a full Redis takes the mark too, so that exports go on freeing
-- the stream while Redis is full (memory.lua). MINID keeps entries at or above the id: trim up
-- to and including the lowest acknowledged.
local trimmed = redis.call('XTRIM', out, 'MINID', string.format('%d-%d', lowestMs, lowestSeq + 1))
redis.call('HSET', exporters, destination, acknowledged)
return trimmed
