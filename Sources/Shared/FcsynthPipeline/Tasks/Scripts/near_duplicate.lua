-- Looks an item's composition task up in the run's MinHash LSH index and, when no earlier
-- item is near it, adds it: one step, so that of two workers handing in near-identical items
-- at once exactly one keeps its item. A band hit is only a candidate: the stored signatures
-- decide, by how many of their bytes agree.
-- KEYS[1]: fcsynth:{RUN}:lsh
-- KEYS[2]: fcsynth:{RUN}:minhash
-- ARGV: item id, agreeing bytes needed, "1" when only the same words count (the fingerprint
--   decides), the signature (8-byte fingerprint, then one byte per minimum), the most items
--   the index holds, one field per band.
-- Returns {} when the item is indexed (a retried item finds only itself), {0} when nothing is
--   near it but the index is full and did not take it, or {id, agreeing bytes} of the earlier
--   item it repeats, the closest one when several are.
local lsh, minhash = KEYS[1], KEYS[2]
local id, needed, exact, signature = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4]
local capacity = tonumber(ARGV[5])
local fields = {}
for index = 6, #ARGV do fields[#fields + 1] = ARGV[index] end

local holders = redis.call('HMGET', lsh, unpack(fields))
local candidates, seen = {}, {}
for _, holder in ipairs(holders) do
  if holder and holder ~= id and not seen[holder] then
    seen[holder] = true
    candidates[#candidates + 1] = holder
  end
end

local best, bestAgreeing = nil, -1
if #candidates > 0 then
  local stored = redis.call('HMGET', minhash, unpack(candidates))
  local fingerprint = string.sub(signature, 1, 8)
  for index, other in ipairs(stored) do
    if other and #other == #signature then
      local agreeing = 0
      for byte = 9, #signature do
        if string.byte(signature, byte) == string.byte(other, byte) then agreeing = agreeing + 1 end
      end
      local near
      if exact then near = string.sub(other, 1, 8) == fingerprint else near = agreeing >= needed end
      if near and agreeing > bestAgreeing then best, bestAgreeing = candidates[index], agreeing end
    end
  end
end
if best then return {best, bestAgreeing} end
if redis.call('HEXISTS', minhash, id) == 0 and redis.call('HLEN', minhash) >= capacity then return {0} end

server_time_ms()
redis.call('HSET', minhash, id, signature)
-- A band keeps the first item that filled it: later ones are found through their other bands.
local empty = {}
for index, holder in ipairs(holders) do
  if not holder then
    empty[#empty + 1] = fields[index]
    empty[#empty + 1] = id
  end
end
if #empty > 0 then redis.call('HSET', lsh, unpack(empty)) end
return {}
