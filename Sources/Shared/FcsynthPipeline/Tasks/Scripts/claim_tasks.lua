-- Claims up to ARGV[3] tasks of one run for one worker, atomically: each task leaves its
-- queue and enters the worker's in-flight hash in the same step, so a crash between the
-- two cannot orphan it. Due retries are promoted from the delayed set first. Both what is due
-- and the lease's expiry go by Redis's clock (clock.lua), never the worker's. While the output
-- stream holds the run's output cap or more, the stages that write to it are not claimed from:
-- the stream waits for its exporters instead of being trimmed past them. While the run's spend
-- has reached its budget (meta budget_nano_usd or budget_tokens against the counters the
-- hand-offs charge, charged_nano_usd and charged_tokens), the first stage, the last queue key,
-- is not claimed from: no new item starts, the items already started finish.
-- Each claimed task comes with whether its tid is in the run's `answered` set, that is whether
-- an earlier attempt may have stored answers in its replay hash: the worker reads the hash only
-- then, and a first attempt costs no round trip for it.
-- KEYS[1]: fcsynth:{RUN}:meta
-- KEYS[2]: fcsynth:{RUN}:delayed
-- KEYS[3]: fcsynth:{RUN}:dead
-- KEYS[4]: fcsynth:{RUN}:counters
-- KEYS[5]: fcsynth:{RUN}:workers
-- KEYS[6]: fcsynth:{RUN}:inflight:WORKER
-- KEYS[7]: fcsynth:{RUN}:out
-- KEYS[8]: fcsynth:{RUN}:answered
-- KEYS[9]: fcsynth:{RUN}:q:judge
-- KEYS[10]: fcsynth:{RUN}:q:conversation
-- KEYS[11]: fcsynth:{RUN}:q:function_gen
-- KEYS[12]: fcsynth:{RUN}:q:composition_filter
-- KEYS[13]: fcsynth:{RUN}:q:para_seq_task
-- KEYS[14]: fcsynth:{RUN}:q:sequential_task
-- KEYS[15]: fcsynth:{RUN}:q:atom_task
-- KEYS[16]: fcsynth:{RUN}:q:scenario_expand
-- KEYS[17]: fcsynth:{RUN}:q:scenario_extract
-- ARGV: worker id, lease (ms), max tasks, output cap (0: none), the stages that write to the
--   stream (comma-separated), the claim order ('later' or 'tail'), then the stage of each queue
--   key in KEYS order (ARGV[i - 2] names KEYS[i]), which is the claim order: later stages first,
--   so that items finish before new ones start.
-- Returns {tasks claimed, 1 or 0 for each: whether its tid is in `answered`}.
-- With the 'tail' order, once the input (the last queue key) holds no more than twice the tasks
-- in flight fleet-wide, the order turns round: the items with the most work left come first, so
-- that the run's last items start early and no slot waits on one long chain at the end. The
-- input, then earlier stages, and conversation turns by their step, fewest messages first
-- (among the first few of that queue, see fewest_steps).
local meta, delayed, dead, counters, workers, inflight, out, answered =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local now = server_time_ms()
-- Full: nothing is claimed, so that the work in hand can finish without adding more (memory.lua).
stop_when_full(workers)
local worker = ARGV[1]
local lease = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local order = ARGV[6]

local held = {}
if cap > 0 and redis.call('XLEN', out) >= cap then
  for stage in string.gmatch(ARGV[5], '[^,]+') do held[stage] = true end
end

local state, budgetCost, budgetTokens = unpack(redis.call('HMGET', meta, 'state', 'budget_nano_usd', 'budget_tokens'))
if state == 'cancelled' or state == false then
  return {{}, {}}
end
local spentCost, spentTokens = unpack(redis.call('HMGET', counters, 'charged_nano_usd', 'charged_tokens'))
local function reached(budget, spent)
  budget = tonumber(budget) or 0
  return budget > 0 and (tonumber(spent) or 0) >= budget
end

local stages, queues = {}, {}
for index = 9, #KEYS do
  stages[#stages + 1] = ARGV[index - 2]
  queues[ARGV[index - 2]] = KEYS[index]
end
-- The input is the last queue: holding it starts no new item.
if reached(budgetCost, spentCost) or reached(budgetTokens, spentTokens) then
  held[stages[#stages]] = true
end

-- The step of a task: the last part of its tid, the conversation's messages so far.
local function step_of(entry)
  local header = read_envelope(entry)
  return header and tonumber(string.match(header.tid, '|(%d+)$')) or 0
end

-- Up to `count` tasks of `queue` with the fewest steps, the earlier first among equals. Only the
-- queue's first 4 × count (16 to 512) are looked at: each one is a whole task copied into Lua,
-- whose every byte Redis hashes as it makes the string, and at 64 in flight a wider window was
-- two thirds of Redis's CPU with no gain in slot utilisation (docs/performance.md).
local function fewest_steps(queue, count)
  local window = math.min(512, math.max(16, 4 * count))
  local entries = redis.call('LRANGE', queue, 0, window - 1)
  if #entries == 0 then
    return false
  end
  local ranked = {}
  for index, entry in ipairs(entries) do
    ranked[index] = {step = step_of(entry), index = index}
  end
  table.sort(ranked, function(a, b)
    if a.step ~= b.step then return a.step < b.step end
    return a.index < b.index
  end)
  local picked = {}
  for k = 1, math.min(count, #ranked) do
    local entry = entries[ranked[k].index]
    redis.call('LREM', queue, 1, entry)
    picked[k] = entry
  end
  return picked
end

local tail = false
if order == 'tail' then
  local fields = {}
  for _, stage in ipairs(stages) do fields[#fields + 1] = 'inflight:' .. stage end
  local running = 0
  for _, value in ipairs(redis.call('HMGET', counters, unpack(fields))) do
    running = running + (tonumber(value) or 0)
  end
  tail = redis.call('LLEN', queues[stages[#stages]]) <= 2 * running
end
local claim_order = stages
if tail then
  claim_order = {}
  for index = #stages, 1, -1 do claim_order[#claim_order + 1] = stages[index] end
end

local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 1000)
for _, entry in ipairs(due) do
  redis.call('ZREM', delayed, entry)
  local header = read_envelope(entry)
  local queue = header and queues[header.stage]
  if queue then
    redis.call('RPUSH', queue, entry)
  else
    -- Garbage added by hand: dead, and counted as an item, as in the queues below.
    local reason = header and ('task of unknown stage ' .. header.stage .. ' in the delayed set') or 'malformed task in the delayed set'
    redis.call('RPUSH', dead, cjson.encode({reason = reason, task = entry}))
    redis.call('HINCRBY', counters, 'dead', 1)
    redis.call('HINCRBY', counters, 'items', 1)
  end
end

local claimed, held_answers = {}, {}
for _, stage in ipairs(claim_order) do
  if #claimed >= wanted then break end
  local entries = false
  if held[stage] then
    entries = false
  elseif tail and stage == 'conversation' then
    -- The one queue whose tasks differ in how far along they are.
    entries = fewest_steps(queues[stage], wanted - #claimed)
  else
    entries = redis.call('LPOP', queues[stage], wanted - #claimed)
  end
  if entries then
    local taken = 0
    for _, entry in ipairs(entries) do
      local header = read_envelope(entry)
      if header and header.stage == stage then
        redis.call('HSET', inflight, header.tid, entry)
        claimed[#claimed + 1] = entry
        held_answers[#claimed] = redis.call('SISMEMBER', answered, header.tid)
        taken = taken + 1
      else
        -- Garbage pushed by hand, or a task in the wrong queue: dead, with the reason, and
        -- counted as an item so that the run's totals still add up.
        local reason = header and ('task of stage ' .. header.stage .. ' found in the ' .. stage .. ' queue') or 'malformed task: not a fcsynth task envelope'
        redis.call('RPUSH', dead, cjson.encode({stage = stage, reason = reason, task = entry}))
        redis.call('HINCRBY', counters, 'dead', 1)
        redis.call('HINCRBY', counters, 'items', 1)
        redis.call('HINCRBY', counters, 'failed:' .. stage, 1)
      end
    end
    if taken > 0 then
      redis.call('HINCRBY', counters, 'inflight:' .. stage, taken)
    end
  end
end

if #claimed > 0 then
  redis.call('ZADD', workers, now + lease, worker)
end
return {claimed, held_answers}
