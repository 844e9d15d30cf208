-- The MinHash LSH index's lookup and insertion, shared by near_duplicate.lua (composition
-- tasks) and near_duplicate_functions.lua (function sets). PipelineScripts puts this file
-- before every script, after memory.lua. A stored value starts with the signature (an 8-byte
-- fingerprint, then one byte per minimum); anything after it is the caller's.

-- The holders of `fields` in the bands hash `lsh`, and of the other items among them the one
-- whose stored signature in `signatures` agrees with `signature` in the most bytes, when it
-- is near: at least `needed` bytes, or the same fingerprint when `exact`. Returns the bands'
-- holders, then the nearest item's id, agreeing bytes and whole stored value (nil when none).
local function lsh_nearest(lsh, signatures, id, signature, needed, exact, fields)
  local holders = redis.call('HMGET', lsh, unpack(fields))
  local candidates, seen = {}, {}
  for _, holder in ipairs(holders) do
    if holder and holder ~= id and not seen[holder] then
      seen[holder] = true
      candidates[#candidates + 1] = holder
    end
  end
  local best, bestAgreeing, bestValue = nil, -1, nil
  if #candidates == 0 then return holders, nil end
  local stored = redis.call('HMGET', signatures, unpack(candidates))
  local fingerprint = string.sub(signature, 1, 8)
  for index, other in ipairs(stored) do
    if other and #other >= #signature then
      local agreeing = 0
      for byte = 9, #signature do
        if string.byte(signature, byte) == string.byte(other, byte) then agreeing = agreeing + 1 end
      end
      local near
      if exact then near = string.sub(other, 1, 8) == fingerprint else near = agreeing >= needed end
      if near and agreeing > bestAgreeing then best, bestAgreeing, bestValue = candidates[index], agreeing, other end
    end
  end
  return holders, best, bestAgreeing, bestValue
end

-- Whether the index holds `id` or still has room for it (at most `capacity` items).
local function lsh_has_room(signatures, id, capacity)
  return redis.call('HEXISTS', signatures, id) == 1 or redis.call('HLEN', signatures) < capacity
end

-- Stores `value` under `id` and makes `id` the holder of the bands still empty (`holders` as
-- lsh_nearest returned them): a band keeps the first item that filled it, later ones are found
-- through their other bands. The caller has called server_time_ms().
local function lsh_add(lsh, signatures, id, value, fields, holders)
  redis.call('HSET', signatures, id, value)
  local empty = {}
  for index, holder in ipairs(holders) do
    if not holder then
      empty[#empty + 1] = fields[index]
      empty[#empty + 1] = id
    end
  end
  if #empty > 0 then redis.call('HSET', lsh, unpack(empty)) end
end
