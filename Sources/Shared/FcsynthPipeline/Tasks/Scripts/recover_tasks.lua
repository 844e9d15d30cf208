-- Returns the in-flight tasks of workers whose lease has expired (killed, or cut off) to
-- the front of their queues, counting one recovery each; a task recovered more than
-- ARGV[1] times has taken down that many workers and goes to dead instead.
-- The caller read the candidates from the workers set before (expired_workers.lua); a
-- candidate that renewed its lease since is live, and is left alone. Expiry is by Redis's
-- clock (clock.lua), never the sweeping worker's.
-- At most one sweep per run per interval: the guard key expires on its own.
-- KEYS[1]: fcsynth:{RUN}:counters
-- KEYS[2]: fcsynth:{RUN}:dead
-- KEYS[3]: fcsynth:{RUN}:workers
-- KEYS[4]: fcsynth:{RUN}:sweep
-- KEYS[5]: fcsynth:{RUN}:q:scenario_extract
-- KEYS[6]: fcsynth:{RUN}:q:scenario_expand
-- KEYS[7]: fcsynth:{RUN}:q:atom_task
-- KEYS[8]: fcsynth:{RUN}:q:sequential_task
-- KEYS[9]: fcsynth:{RUN}:q:para_seq_task
-- KEYS[10]: fcsynth:{RUN}:q:composition_filter
-- KEYS[11]: fcsynth:{RUN}:q:function_gen
-- KEYS[12]: fcsynth:{RUN}:q:conversation
-- KEYS[13]: fcsynth:{RUN}:q:judge
-- KEYS[14...]: fcsynth:{RUN}:inflight:WORKER, one per candidate worker
-- ARGV: max recoveries, sweep interval (ms), sweeping worker id, number of queue keys, then
--   ARGV[i] names KEYS[i]: the stage of each queue key, then each candidate.
-- Returns {workers recovered, tasks requeued, tasks dead}.
local counters, dead, workers, sweep = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = server_time_ms()
local maxRecoveries = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local lastQueue = 4 + tonumber(ARGV[4])
-- Recovery moves tasks from in-flight hashes back to queues: it holds memory level, and a
-- full Redis must still return a dead worker's tasks.
go_when_full(workers)

if not redis.call('SET', sweep, ARGV[3], 'NX', 'PX', interval) then
  return {0, 0, 0}
end

local queues = {}
for index = 5, lastQueue do queues[ARGV[index]] = KEYS[index] end
local expired = {}
for _, worker in ipairs(redis.call('ZRANGEBYSCORE', workers, '-inf', now)) do expired[worker] = true end

local recovered, requeued, deadCount = 0, 0, 0
for index = lastQueue + 1, #KEYS do
  local worker = ARGV[index]
  if expired[worker] then
    local inflight = KEYS[index]
    local held = redis.call('HGETALL', inflight)
    for i = 1, #held, 2 do
      local entry = held[i + 1]
      local header = read_envelope(entry)
      local stage = header and header.stage or 'unknown'
      local queue = header and queues[header.stage]
      redis.call('HINCRBY', counters, 'inflight:' .. stage, -1)
      local count = (header and header.recoveries or 0) + 1
      if queue and count <= maxRecoveries then
        redis.call('LPUSH', queue, rewrite_envelope(entry, header, header.attempt, count))
        requeued = requeued + 1
      else
        local reason = queue and ('held by ' .. count .. ' workers that died or were cut off')
          or 'not a task of a known stage, held by a worker that died or was cut off'
        redis.call('RPUSH', dead, cjson.encode({stage = header and header.stage, reason = reason, task = entry}))
        redis.call('HINCRBY', counters, 'dead', 1)
        redis.call('HINCRBY', counters, 'failed:' .. stage, 1)
        deadCount = deadCount + 1
      end
    end
    redis.call('DEL', inflight)
    redis.call('ZREM', workers, worker)
    recovered = recovered + 1
  end
end
if requeued > 0 then
  redis.call('HINCRBY', counters, 'recovered', requeued)
end
return {recovered, requeued, deadCount}
