-- Claims up to ARGV[4] tasks of one run for one worker, atomically: each task leaves its
-- queue and enters the worker's in-flight hash in the same step, so a crash between the
-- two cannot orphan it. Due retries are promoted from the delayed set first.
-- KEYS[1]: the run's key prefix, "fcsynth:{RUN}:"
-- ARGV: worker id, now (ms), lease (ms), max tasks, then stage names in claim order.
local prefix = KEYS[1]
local worker = ARGV[1]
local now = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])

local state = redis.call('HGET', prefix .. 'meta', 'state')
if state == 'cancelled' or state == false then
  return {}
end

local known = {}
for index = 5, #ARGV do known[ARGV[index]] = true end

local due = redis.call('ZRANGEBYSCORE', prefix .. 'delayed', '-inf', now, 'LIMIT', 0, 1000)
for _, entry in ipairs(due) do
  redis.call('ZREM', prefix .. 'delayed', entry)
  local stage = string.match(entry, '^{"tid":"[^"]*","run":"[^"]*","stage":"([^"]*)"')
  if stage and known[stage] then
    redis.call('RPUSH', prefix .. 'q:' .. stage, entry)
  else
    -- Garbage added by hand: dead, and counted as an item, as in the queues below.
    local reason = stage and ('task of unknown stage ' .. stage .. ' in the delayed set') or 'malformed task in the delayed set'
    redis.call('RPUSH', prefix .. 'dead', cjson.encode({reason = reason, task = entry}))
    redis.call('HINCRBY', prefix .. 'counters', 'dead', 1)
    redis.call('HINCRBY', prefix .. 'counters', 'items', 1)
  end
end

local claimed = {}
local inflight = prefix .. 'inflight:' .. worker
for index = 5, #ARGV do
  if #claimed >= wanted then break end
  local stage = ARGV[index]
  local entries = redis.call('LPOP', prefix .. 'q:' .. stage, wanted - #claimed)
  if entries then
    local taken = 0
    for _, entry in ipairs(entries) do
      local tid, taskStage = string.match(entry, '^{"tid":"([^"]+)","run":"[^"]*","stage":"([^"]*)","attempt":%d+,"recoveries":%d+,"item":')
      if tid and taskStage == stage then
        redis.call('HSET', inflight, tid, entry)
        claimed[#claimed + 1] = entry
        taken = taken + 1
      else
        -- Garbage pushed by hand, or a task in the wrong queue: dead, with the reason, and
        -- counted as an item so that the run's totals still add up.
        local reason = tid and ('task of stage ' .. tostring(taskStage) .. ' found in the ' .. stage .. ' queue') or 'malformed task: not a fcsynth task envelope'
        redis.call('RPUSH', prefix .. 'dead', cjson.encode({stage = stage, reason = reason, task = entry}))
        redis.call('HINCRBY', prefix .. 'counters', 'dead', 1)
        redis.call('HINCRBY', prefix .. 'counters', 'items', 1)
        redis.call('HINCRBY', prefix .. 'counters', 'failed:' .. stage, 1)
      end
    end
    if taken > 0 then
      redis.call('HINCRBY', prefix .. 'counters', 'inflight:' .. stage, taken)
    end
  end
end

if #claimed > 0 then
  redis.call('ZADD', prefix .. 'workers', now + lease, worker)
end
return claimed
