-- Records the provider's batch for a draft, once: the first batch recorded for a draft is its
-- batch. A leader that finds another already recorded (it lost the lead while creating, and
-- the next leader created its own) cancels its own, so that no request is asked twice.
-- KEYS[1]: fcsynth:{RUN}:batches
-- ARGV: the batch id, the provider's batch id, the input file's id.
-- Returns 1 when the draft's batch is this provider batch, 0 when it is another, -1 when the
-- draft is gone (settled, or the run purged).
local batches = KEYS[1]
local stored = redis.call('HGET', batches, ARGV[1])
if not stored then
  return -1
end
local record = cjson.decode(stored)
if record.provider_id == ARGV[2] then
  return 1
end
if record.provider_id then
  return 0
end
record.provider_id = ARGV[2]
record.input_file_id = ARGV[3]
record.state = 'submitted'
record.submitted_at = server_time_ms()
redis.call('HSET', batches, ARGV[1], cjson.encode(record))
return 1
