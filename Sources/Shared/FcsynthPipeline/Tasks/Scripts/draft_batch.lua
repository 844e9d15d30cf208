-- Moves the longest-waiting pending requests into a new batch, within the provider's limits,
-- and records the batch as a draft: nothing is uploaded yet. Only the leader drafts, so that
-- two workers never split one round into two batches.
-- KEYS[1]: fcsynth:{RUN}:batch_leader
-- KEYS[2]: fcsynth:{RUN}:pending
-- KEYS[3]: fcsynth:{RUN}:batches
-- KEYS[4]: fcsynth:{RUN}:batched:BATCH
-- ARGV: the leader's token, the batch id, the most requests, the most bytes of requests.
-- A pending member is the request id, a newline, then the request (`ParkedRequest`).
-- Returns the number of requests the batch holds (0: not the leader, or nothing pending).
local leader, pending, batches, batched = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('GET', leader) ~= ARGV[1] or redis.call('HEXISTS', batches, ARGV[2]) == 1 then
  return 0
end
local members = redis.call('ZRANGE', pending, 0, tonumber(ARGV[3]) - 1)
if #members == 0 then
  return 0
end
local now = server_time_ms()
-- Requests only move from one key to another: a full Redis must let the round go out.
go_when_full(pending)
local maxBytes = tonumber(ARGV[4])
local taken, bytes = 0, 0
for _, member in ipairs(members) do
  if taken > 0 and bytes + #member > maxBytes then break end
  local newline = string.find(member, '\n', 1, true)
  redis.call('HSET', batched, string.sub(member, 1, newline - 1), member)
  redis.call('ZREM', pending, member)
  taken = taken + 1
  bytes = bytes + #member
end
redis.call('HSET', batches, ARGV[2], cjson.encode({state = 'drafting', requests = taken, drafted_at = now}))
return taken
