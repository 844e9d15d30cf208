-- Sends a run's dead tasks back to their queues with fresh attempt and recovery counts, in
-- one atomic step. Entries that hold no task of this run (garbage pushed by hand) stay dead.
-- KEYS[1]: the run's key prefix.  ARGV[1]: the run id.
-- Returns the number of tasks requeued.
local prefix = KEYS[1]
local counters = prefix .. 'counters'
local total = redis.call('LLEN', prefix .. 'dead')
local requeued = 0
for _ = 1, total do
  local raw = redis.call('LPOP', prefix .. 'dead')
  local ok, record = pcall(cjson.decode, raw)
  local head, stage, rest
  if ok and type(record) == 'table' and type(record.task) == 'string' then
    head, stage, rest = string.match(record.task,
      '^({"tid":"[^"]+","run":"' .. ARGV[1]:gsub('%p', '%%%0') .. '","stage":")([^"]*)","attempt":%d+,"recoveries":%d+(,"item":.*)$')
  end
  if stage then
    redis.call('RPUSH', prefix .. 'q:' .. stage, head .. stage .. '","attempt":0,"recoveries":0' .. rest)
    redis.call('HINCRBY', counters, 'dead', -1)
    redis.call('HINCRBY', counters, 'failed:' .. stage, -1)
    requeued = requeued + 1
  else
    redis.call('RPUSH', prefix .. 'dead', raw)
  end
end
return requeued
