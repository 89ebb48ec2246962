-- Adds one batch's events to their time buckets and advances the event-time watermark of each Kafka partition.
-- A batch is counted once: its token (a digest of its transaction ids) is remembered, so a batch scored again after
-- a failed write is not counted twice. Events whose bucket was already closed (or is being judged) are late: they
-- are not added but counted and reported.
-- KEYS[1] hash: the clock (closed, closingUpTo, p:<partition>, seen:<partition>, ...)
-- KEYS[2] string: the batch token's marker
-- KEYS[3..] hashes: one per bucket the batch touches, in the order of the bucket arguments below
-- ARGV[1] marker time-to-live ms, ARGV[2] bucket time-to-live ms, ARGV[3] wall clock ms, ARGV[4] bucket ms,
-- ARGV[5] partition count P, then P pairs (partition, newest event time ms),
-- then per bucket, in time order: start ms, events, field count F, F pairs (field, increment)
-- Returns {late events, or -1 when the batch was counted before}
local clock = KEYS[1]
local now = ARGV[3]
local bucketMs = tonumber(ARGV[4])
local partitions = tonumber(ARGV[5])
local i = 6
for _ = 1, partitions do
  local partition = ARGV[i]
  local newest = tonumber(ARGV[i + 1])
  local known = tonumber(redis.call('HGET', clock, 'p:' .. partition) or '-1')
  if newest > known then
    redis.call('HSET', clock, 'p:' .. partition, ARGV[i + 1])
  end
  redis.call('HSET', clock, 'seen:' .. partition, now)
  i = i + 2
end

if #KEYS < 3 then
  return {0}
end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  return {-1}
end

local closedText = redis.call('HGET', clock, 'closed')
local closed
if closedText then
  closed = tonumber(closedText)
else
  -- the first batch ever: buckets start being judged from the earliest one it touches (they come in time order)
  closed = tonumber(ARGV[i]) - bucketMs
  redis.call('HSET', clock, 'closed', string.format('%d', closed))
end
local closing = redis.call('HGET', clock, 'closingUpTo')
if closing then
  closed = math.max(closed, tonumber(closing))
end

local late = 0
for k = 3, #KEYS do
  local start = tonumber(ARGV[i])
  local events = tonumber(ARGV[i + 1])
  local fields = tonumber(ARGV[i + 2])
  i = i + 3
  if start <= closed then
    late = late + events
    i = i + 2 * fields
  else
    for _ = 1, fields do
      redis.call('HINCRBY', KEYS[k], ARGV[i], ARGV[i + 1])
      i = i + 2
    end
    redis.call('PEXPIRE', KEYS[k], ARGV[2])
  end
end
return {late}
