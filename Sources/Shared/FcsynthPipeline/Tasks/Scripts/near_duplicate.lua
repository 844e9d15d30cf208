-- Looks an item's composition task up in the run's MinHash LSH index and, when no earlier
-- item is near it, adds it with its scenario's signature: one step, so that of two workers
-- handing in near-identical items at once exactly one keeps its item. A band hit is only a
-- candidate: the stored signatures decide, by how many of their bytes agree.
-- KEYS[1]: fcsynth:{RUN}:lsh
-- KEYS[2]: fcsynth:{RUN}:minhash
-- ARGV: item id, agreeing bytes needed, "1" when only the same words count (the fingerprint
--   decides), the task's signature (8-byte fingerprint, then one byte per minimum), the most
--   items the index holds, the scenario's signature alike (empty when it has no words), one
--   field per band.
-- Returns {} when the item is indexed (a retried item finds only itself), {0} when nothing is
--   near it but the index is full and did not take it, or {id, agreeing bytes, agreeing bytes
--   of the scenarios (-1 when either has none)} of the earlier item it repeats, the closest one
--   when several are.
local lsh, minhash = KEYS[1], KEYS[2]
local id, needed, exact, signature = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4]
local capacity, scenario = tonumber(ARGV[5]), ARGV[6]
local fields = {}
for index = 7, #ARGV do fields[#fields + 1] = ARGV[index] end

local holders, best, agreeing, value = lsh_nearest(lsh, minhash, id, signature, needed, exact, fields)
if best then
  local scenarioAgreeing = -1
  local other = string.sub(value, #signature + 1)
  if #scenario > 0 and #other == #scenario then
    scenarioAgreeing = 0
    for byte = 9, #scenario do
      if string.byte(scenario, byte) == string.byte(other, byte) then scenarioAgreeing = scenarioAgreeing + 1 end
    end
  end
  return {best, agreeing, scenarioAgreeing}
end
if not lsh_has_room(minhash, id, capacity) then return {0} end

server_time_ms()
lsh_add(lsh, minhash, id, signature .. scenario, fields, holders)
return {}
