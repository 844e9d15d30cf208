-- The task envelope's header, the one Lua reader and writer of it: PipelineScripts puts this
-- file before every script (Redis's Lua has no require), so line numbers in Redis's error
-- messages count these lines too. TaskEnvelope writes the header, TaskEnvelope.Header reads
-- it in Swift; the three must agree on
--   {"tid":"…","run":"…","stage":"…","attempt":N,"recoveries":N,"item":…}

-- The header's fields, or nil when the entry is no task envelope. item_at is where ',"item":'
-- starts, so that a rewrite copies the item without reading it. Counts have at most 9 digits,
-- as in Swift: Lua's numbers are doubles, and larger ones would not be written back as digits.
local function read_envelope(entry)
  local _, last, tid, run, stage, attempt, recoveries = string.find(entry,
    '^{"tid":"([^"]+)","run":"([^"]*)","stage":"([^"]*)","attempt":(%d+),"recoveries":(%d+),"item":')
  if not tid or #attempt > 9 or #recoveries > 9 then
    return nil
  end
  return {tid = tid, run = run, stage = stage, attempt = tonumber(attempt), recoveries = tonumber(recoveries),
          item_at = last - 7}
end

-- The entry, read by read_envelope, with new attempt and recovery counts.
local function rewrite_envelope(entry, header, attempt, recoveries)
  return '{"tid":"' .. header.tid .. '","run":"' .. header.run .. '","stage":"' .. header.stage
    .. '","attempt":' .. attempt .. ',"recoveries":' .. recoveries .. string.sub(entry, header.item_at)
end

