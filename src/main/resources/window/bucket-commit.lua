-- Records judged buckets: moves the closed mark, appends the buckets' summaries to the history that later
-- baselines read, deletes the buckets' counters and ids and releases the lease. Does nothing when the lease was lost,
-- since another replica then judges the same buckets again.
-- KEYS[1] hash: the clock, KEYS[2] sorted set: the history, KEYS[3..] the judged buckets' counters and id sets
-- ARGV[1] owner, ARGV[2] last judged bucket start ms, ARGV[3] history kept ms, then pairs (bucket start, summary)
-- Returns 1 when committed, 0 when the lease was lost
local clock = KEYS[1]
if redis.call('HGET', clock, 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HSET', clock, 'closed', ARGV[2])
redis.call('HDEL', clock, 'owner', 'leaseUntil')
for i = 4, #ARGV, 2 do
  redis.call('ZADD', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%d', tonumber(ARGV[2]) - tonumber(ARGV[3])))
for k = 3, #KEYS do
  redis.call('DEL', KEYS[k])
end
return 1
