-- The places of one entity's latest events: returns the ones before this event, newest first, then adds this one.
-- Adding is idempotent (the member carries the event id).
-- KEYS[1] sorted set: member = "<event id>\31<payload>", score = event time (ms)
-- ARGV[1] event time ms, ARGV[2] event id, ARGV[3] payload, ARGV[4] how many earlier points to return,
-- ARGV[5] points kept at most, ARGV[6] key time-to-live ms,
-- ARGV[7] expiry refreshed when event time enters a new period this long (ms)
-- Returns {member, time, member, time, ...}
local t = tonumber(ARGV[1])
local member = ARGV[2] .. '\31' .. ARGV[3]

local earlier = redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. string.format('%d', t), '-inf',
  'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[4]))
-- the expiry is set when no earlier point is kept (a new key), and refreshed when event time enters a new period
-- (see sample-stats.lua)
local refreshEvery = tonumber(ARGV[7])
local refreshExpiry = not earlier[2] or math.floor(t / refreshEvery) > math.floor(tonumber(earlier[2]) / refreshEvery)
redis.call('ZADD', KEYS[1], t, member)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[5]) + 1))
if refreshExpiry then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
end
return earlier
