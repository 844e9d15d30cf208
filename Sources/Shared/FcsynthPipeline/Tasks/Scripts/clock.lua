-- Redis's clock, in ms since 1970: the one time all workers share, whatever their own clocks
-- say, so leases, sweeps and retry delays are all read against it. PipelineScripts puts this
-- file before every script, after envelope.lua and before memory.lua.
-- A script calls it before its first write. Redis before 5 replicates a script by its source,
-- and refuses a write after TIME there unless the script first asks to replicate its effects
-- instead; Redis 5 and 6 do that by default, and from 7 on replicate_commands does nothing.
local function server_time_ms()
  redis.replicate_commands()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
