-- Names the commands in ARGV that the connected user may not run on the namespace's keys.
-- Redis checks a script's commands against the user's ACL only as it runs them, and a script
-- stopped by a denied command keeps the writes it made before it: a claim denied its last
-- command has taken tasks from their queue and left them nowhere. So every process asks
-- first, as it starts. Each check passes the key as every argument: Redis 7.0 reads a
-- command's keys by its key specs, and past the arguments given when they are too few.
-- Redis before 7.0 has no redis.acl_check_cmd, and then nothing is checked.
-- KEYS[1]: fcsynth:stats
-- ARGV: command names.
-- Returns the names denied, in ARGV order.
if redis.acl_check_cmd == nil then
  return {}
end
local key = KEYS[1]
local denied = {}
for _, name in ipairs(ARGV) do
  if not redis.acl_check_cmd(name, key, key, key, key, key, key, key, key) then
    denied[#denied + 1] = name
  end
end
return denied
