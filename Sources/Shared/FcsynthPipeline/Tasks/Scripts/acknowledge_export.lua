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
redis.call('HSET', exporters, destination, acknowledged)

local lowestMs, lowestSeq
local marks = redis.call('HVALS', exporters)
for _, mark in ipairs(marks) do
  local ms, seq = parse(mark)
  if ms and (lowestMs == nil or ms < lowestMs or (ms == lowestMs and seq < lowestSeq)) then
    lowestMs, lowestSeq = ms, seq
  end
end
if lowestMs == nil or (lowestMs == 0 and lowestSeq == 0) then return 0 end
-- MINID keeps entries at or above the id: trim up to and including the lowest acknowledged.
return redis.call('XTRIM', out, 'MINID', string.format('%d-%d', lowestMs, lowestSeq + 1))
