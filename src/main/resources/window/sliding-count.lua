-- One entity's events in a sliding event-time window: adds an event, counts the events in the window that ends
-- at it, and decides atomically whether it opens an alert (at most one alert per window length).
-- Adding is idempotent (the member is the event id), so a batch scored twice counts nothing twice.
-- KEYS[1] sorted set: member = event id, score = event time (ms)
-- KEYS[2] hash: the alert last opened (at, id)
-- ARGV[1] event time ms, ARGV[2] event id, ARGV[3] window ms, ARGV[4] alert at this count or more,
-- ARGV[5] allowed lateness ms, ARGV[6] key time-to-live ms,
-- ARGV[7] expiry refreshed when event time enters a new period this long (ms)
-- An event too late for its partition never reaches this script (the pipeline holds it back); the window is trimmed
-- behind the entity's newest event by the window length plus the allowed lateness.
-- Returns {count, alert (0|1), time of the first event in the window}
local t = tonumber(ARGV[1])
local id = ARGV[2]
local window = tonumber(ARGV[3])
local threshold = tonumber(ARGV[4])
local lateness = tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
local refreshEvery = tonumber(ARGV[7])

local watermark = t
-- the expiry is set on a new key, and refreshed when event time enters a new period (see sample-stats.lua)
local refreshExpiry = true
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if newest[2] then
  watermark = math.max(t, tonumber(newest[2]))
  refreshExpiry = math.floor(t / refreshEvery) > math.floor(tonumber(newest[2]) / refreshEvery)
end

redis.call('ZADD', KEYS[1], t, id)
local from = '(' .. string.format('%d', t - window)
local count = redis.call('ZCOUNT', KEYS[1], from, t)
local first = redis.call('ZRANGEBYSCORE', KEYS[1], from, t, 'WITHSCORES', 'LIMIT', 0, 1)

local alert = 0
if count >= threshold then
  local open = redis.call('HMGET', KEYS[2], 'at', 'id')
  if not open[1] or open[2] == id or math.abs(t - tonumber(open[1])) >= window then
    redis.call('HSET', KEYS[2], 'at', string.format('%d', t), 'id', id)
    redis.call('PEXPIRE', KEYS[2], ttl)
    alert = 1
  end
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', watermark - window - lateness))
if refreshExpiry then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {count, alert, first[2]}
