-- Looks an item's function set up in the run's function-set index, as function_gen hands the
-- item on, and when no earlier item's set is near it adds it: one step, like near_duplicate.lua.
-- A near set does not stop the item; the caller counts it and names the earlier item.
-- KEYS[1]: fcsynth:{RUN}:lsh:functions
-- KEYS[2]: fcsynth:{RUN}:minhash:functions
-- ARGV: item id, agreeing bytes needed, "1" when only the same set counts (the fingerprint
--   decides), the set's signature (8-byte fingerprint, then one byte per minimum), the most
--   items the index holds, one field per band.
-- Returns {} when the set is indexed (a retried item finds only itself), {0} when nothing is
--   near it but the index is full and did not take it, or {id, agreeing bytes} of the earlier
--   item whose set is nearest.
local lsh, minhash = KEYS[1], KEYS[2]
local id, needed, exact, signature = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4]
local capacity = tonumber(ARGV[5])
local fields = {}
for index = 6, #ARGV do fields[#fields + 1] = ARGV[index] end

local holders, best, agreeing = lsh_nearest(lsh, minhash, id, signature, needed, exact, fields)
if best then return {best, agreeing} end
if not lsh_has_room(minhash, id, capacity) then return {0} end

server_time_ms()
lsh_add(lsh, minhash, id, signature, fields, holders)
return {}
