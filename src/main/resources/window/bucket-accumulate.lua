-- Adds events to their time buckets and advances the event-time watermark of each Kafka partition.
-- Each event counts once, whatever poll it comes in: its id joins its bucket's id set, and only an id new there adds
-- its increments, so a redelivery after a crash, cut into other polls, adds nothing twice. Events whose bucket was
-- already closed (or is being judged) are late: they are not added but counted and reported.
-- Labels (sales channels) are capped: an event whose label is not among the first ARGV[4] labels ever seen has its
-- fields ending in '@<label>' counted under '@<ARGV[5]>' instead, so no input can make series without limit.
-- Revenue sums saturate at the largest integer Redis holds instead of failing the batch. A field whose name starts
-- with '^' keeps the largest value it was given instead of a sum (the bucket's largest order).
-- KEYS[1] hash: the clock (closed, closingUpTo, p:<partition>, seen:<partition>, ...)
-- KEYS[2] set: the labels admitted
-- KEYS[3..] per bucket the events touch, in the order of the buckets below: its counters (hash), its ids (set)
-- ARGV[1] bucket time-to-live ms, ARGV[2] wall clock ms, ARGV[3] bucket ms, ARGV[4] most labels, ARGV[5] overflow label,
-- ARGV[6] labels time-to-live ms, ARGV[7] partition count P, then P pairs (partition, newest event time ms),
-- then per bucket, in time order: start ms, event count E, then per event: id, label, field count F, F pairs (field, increment)
-- Returns {late events}
local clock = KEYS[1]
local labels = KEYS[2]
local now = ARGV[2]
local bucketMs = tonumber(ARGV[3])
local mostLabels = tonumber(ARGV[4])
local overflow = ARGV[5]
local partitions = tonumber(ARGV[7])
local i = 8
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

local closedText = redis.call('HGET', clock, 'closed')
local closed
if closedText then
  closed = tonumber(closedText)
else
  -- the first events ever: buckets start being judged from the earliest one they touch (they come in time order)
  closed = tonumber(ARGV[i]) - bucketMs
  redis.call('HSET', clock, 'closed', string.format('%d', closed))
end
local closing = redis.call('HGET', clock, 'closingUpTo')
if closing then
  closed = math.max(closed, tonumber(closing))
end

local admitted = {}
local function labelOf(label)
  if admitted[label] == nil then
    admitted[label] = redis.call('SISMEMBER', labels, label) == 1
        or (redis.call('SCARD', labels) < mostLabels and redis.call('SADD', labels, label) == 1)
  end
  return admitted[label] and label or overflow
end

local function add(counters, field, increment)
  if string.sub(field, 1, 1) == '^' then
    local largest = tonumber(redis.call('HGET', counters, field) or '-1')
    if tonumber(increment) > largest then
      redis.call('HSET', counters, field, increment)
    end
    return
  end
  local added = redis.pcall('HINCRBY', counters, field, increment)
  if type(added) == 'table' and added.err then
    redis.call('HSET', counters, field, '9223372036854775807')
  end
end

local late = 0
for k = 3, #KEYS, 2 do
  local counters = KEYS[k]
  local ids = KEYS[k + 1]
  local start = tonumber(ARGV[i])
  local events = tonumber(ARGV[i + 1])
  i = i + 2
  local open = start > closed
  if not open then
    late = late + events
  end
  for _ = 1, events do
    local id = ARGV[i]
    local label = ARGV[i + 1]
    local fields = tonumber(ARGV[i + 2])
    i = i + 3
    if open and redis.call('SADD', ids, id) == 1 then
      local suffix = '@' .. label
      local counted = labelOf(label)
      for _ = 1, fields do
        local field = ARGV[i]
        if counted ~= label and string.sub(field, -#suffix) == suffix then
          field = string.sub(field, 1, -#suffix - 1) .. '@' .. counted
        end
        add(counters, field, ARGV[i + 1])
        i = i + 2
      end
    else
      i = i + 2 * fields
    end
  end
  if open then
    redis.call('PEXPIRE', counters, ARGV[1])
    redis.call('PEXPIRE', ids, ARGV[1])
  end
end
redis.call('PEXPIRE', labels, ARGV[6])
return {late}
