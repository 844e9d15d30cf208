-- Adds the functions one item designed to the run's distractor pool, each under its name and
-- in its domain's set, within both bounds: the pool takes new names while it holds fewer than
-- its capacity, a domain set while it holds fewer than its own. A name already in the pool
-- keeps its first design, so a repeated hand-off changes nothing.
-- KEYS[1]: fcsynth:{RUN}:distractors
-- KEYS[2...]: fcsynth:{RUN}:distractors:DOMAIN
-- ARGV: the pool's capacity, a domain's capacity, then per function (in KEYS order from 2
-- on, one domain key each) its name and its definition as JSON
-- Returns the number of functions the pool took.
server_time_ms()
local pool = KEYS[1]
local capacity, domainCapacity = tonumber(ARGV[1]), tonumber(ARGV[2])
if not capacity or not domainCapacity then
  return redis.error_reply('add_distractors: capacities must be numbers')
end
local added = 0
for index = 2, #KEYS do
  local name, definition = ARGV[2 * index - 1], ARGV[2 * index]
  local known = redis.call('HEXISTS', pool, name) == 1
  if not known and redis.call('HLEN', pool) < capacity then
    redis.call('HSET', pool, name, definition)
    added = added + 1
    known = true
  end
  if known and redis.call('SCARD', KEYS[index]) < domainCapacity then
    redis.call('SADD', KEYS[index], name)
  end
end
return added
