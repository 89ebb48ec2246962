-- Claims the buckets that the event-time watermark has closed, for one replica to judge: the claim is a lease,
-- so exactly one replica judges a bucket at a time, and another takes over the same buckets if the lease expires
-- before they are committed. The watermark is the slowest active partition's newest event time; when no partition
-- has been active for the idle time, the stream is silent and the wall clock moves the watermark on instead. A
-- partition counts as silent only while a consumer confirms it has processed it to its end (caught:<partition>, set
-- from the caller's list): a consumer that is down or stuck confirms nothing, and its partitions hold the watermark at
-- their event time, so that a backlog is never taken for an outage.
-- KEYS[1] hash: the clock
-- ARGV[1] owner, ARGV[2] wall clock ms, ARGV[3] lease ms, ARGV[4] bucket ms, ARGV[5] allowed lateness ms,
-- ARGV[6] idle ms, ARGV[7] most buckets per claim, ARGV[8] longest stretch of a silence judged ms (older closed buckets are skipped),
-- ARGV[9..] the partitions the caller has processed to their end, now
-- Returns {0} when nothing is due, else {1, first bucket start, last bucket start, buckets skipped, watermark}
local clock = KEYS[1]
local owner = ARGV[1]
local now = tonumber(ARGV[2])
local bucketMs = tonumber(ARGV[4])
local lateness = tonumber(ARGV[5])
local idle = tonumber(ARGV[6])

for k = 9, #ARGV do
  redis.call('HSET', clock, 'caught:' .. ARGV[k], ARGV[2])
end

local holder = redis.call('HMGET', clock, 'owner', 'leaseUntil', 'closed')
if holder[1] and holder[1] ~= owner and tonumber(holder[2]) > now then
  return {0}
end
if not holder[3] then
  return {0}
end
local closed = tonumber(holder[3])

local newestEvent, lastSeen = nil, nil
local slowestActive = nil
local state = redis.call('HGETALL', clock)
local fields = {}
for k = 1, #state, 2 do
  fields[state[k]] = state[k + 1]
end
for field, value in pairs(fields) do
  local partition = string.match(field, '^p:(.+)$')
  if partition then
    local eventTime = tonumber(value)
    local seen = tonumber(fields['seen:' .. partition] or '0')
    local caught = tonumber(fields['caught:' .. partition] or '0')
    newestEvent = math.max(newestEvent or eventTime, eventTime)
    lastSeen = math.max(lastSeen or seen, seen)
    if now - seen <= idle or now - caught > idle then
      slowestActive = math.min(slowestActive or eventTime, eventTime)
    end
  end
end
if not newestEvent then
  return {0}
end
local watermark = slowestActive or (newestEvent + (now - lastSeen))

local lastClosable = math.floor((watermark - lateness) / bucketMs) * bucketMs - bucketMs
local from = closed + bucketMs
if lastClosable < from then
  return {0}
end
local skipped = 0
local longest = tonumber(ARGV[8])
-- only a silence is cut short: while events flow (a replay, a backlog after downtime) every bucket has its sales and
-- is judged, however much event time passed since the last claim
if not slowestActive and lastClosable - from > longest then
  local resumeAt = lastClosable - math.floor(longest / bucketMs) * bucketMs
  skipped = (resumeAt - from) / bucketMs
  from = resumeAt
end
local to = math.min(lastClosable, from + (tonumber(ARGV[7]) - 1) * bucketMs)
redis.call('HSET', clock, 'owner', owner, 'leaseUntil', string.format('%d', now + tonumber(ARGV[3])),
  'closingUpTo', string.format('%d', to))
return {1, string.format('%d', from), string.format('%d', to), skipped, string.format('%d', watermark)}
