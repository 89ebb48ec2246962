-- A rolling sample of one entity's values (a product's prices, a customer's amounts or hours): returns the
-- statistics of the samples before this event in the window, then adds this event's value. Adding is idempotent
-- (the member carries the sample id), so a batch scored twice counts nothing twice.
-- The statistics come from running totals kept beside the sample, so a call costs the same however full the
-- window is: only the samples leaving the window, or left out of this event's statistics, are looked at.
-- KEYS[1] sorted set of samples: member = "<sample id>\31<value>", score = event time (ms)
-- KEYS[2] hash of totals over KEYS[1]: n, sum, squares, newest (event time ms), pushed (members of KEYS[3]);
--         "=<value>" counts in mode 'count'; fields starting with "@" are the caller's, left alone here
-- KEYS[3] sorted set of the samples the cap pushed out of KEYS[1], the newest ARGV[5] to 2 x ARGV[5]: an event scored
--         again after a crash, or arriving out of order, is judged on the ARGV[5] newest samples before it, the
--         same ones its first judgement saw, though later samples have since pushed some of those out of KEYS[1]
-- KEYS[4] sorted set of the members of KEYS[1] scored by value, for the median and quartiles (mode 'median' only)
-- ARGV[1] event time ms, ARGV[2] sample id, ARGV[3] value, ARGV[4] window ms, ARGV[5] samples kept at most,
-- ARGV[6] allowed lateness ms, ARGV[7] key time-to-live ms,
-- ARGV[8] values to count among the earlier samples, separated by commas (mode 'count'), each counting once, or as
--         much as a weight it is given as '<value>*<weight>' (a neighbouring hour counting half),
-- ARGV[9] mode: 'plain', 'median' or 'count', ARGV[10] expiry refreshed when event time enters a new period this long (ms)
-- An event too late for its partition never reaches this script (the pipeline holds it back).
-- Returns {samples, mean, standard deviation, median (0 unless mode 'median'), samples whose value is among
-- ARGV[8] weighed by their values' weights (a string), event time of the oldest sample kept or counted (ms, or the event's own time when none), lower and upper
-- quartiles (0 unless mode 'median')}; quantiles interpolate between neighbouring ranks
local t = tonumber(ARGV[1])
local value = tonumber(ARGV[3])
local member = ARGV[2] .. '\31' .. ARGV[3]
local window = tonumber(ARGV[4])
local keep = tonumber(ARGV[5])
local lateness = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])
local mode = ARGV[9]
local refreshEvery = tonumber(ARGV[10])

local wanted = {}
local weightOf = {}
local totalFields = {'n', 'sum', 'squares', 'newest', 'pushed'}
for entry in string.gmatch(ARGV[8], '[^,]+') do
  local text, weight = string.match(entry, '^(.-)%*(.+)$')
  if not text then
    text, weight = entry, '1'
  end
  if not weightOf[text] then
    weightOf[text] = tonumber(weight)
    wanted[#wanted + 1] = text
    totalFields[#totalFields + 1] = '=' .. text
  end
end
local totals = redis.call('HMGET', KEYS[2], unpack(totalFields))
local n = tonumber(totals[1]) or 0
local sum = tonumber(totals[2]) or 0
local squares = tonumber(totals[3]) or 0
local newest = tonumber(totals[4]) or t
local pushed = tonumber(totals[5]) or 0
local counts = {}
for i, text in ipairs(wanted) do
  counts[text] = tonumber(totals[5 + i]) or 0
end
local countChanges = {}

local function textOf(sample)
  return string.match(sample, '\31([^\31]*)$')
end

-- takes samples out of the totals; the caller takes them out of KEYS[1]
local function forget(samples, step)
  for i = 1, #samples, step do
    local text = textOf(samples[i])
    local v = tonumber(text)
    n = n - 1
    sum = sum - v
    squares = squares - v * v
    if mode == 'count' then
      countChanges[text] = (countChanges[text] or 0) - 1
      if counts[text] then counts[text] = counts[text] - 1 end
    elseif mode == 'median' then
      redis.call('ZREM', KEYS[4], samples[i])
    end
  end
end

local function oldestSample()
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
end

-- samples behind the newest event by more than the window and the lateness leave for good
local cutoff = math.max(t, newest) - window - lateness
local oldest = oldestSample()
if oldest[2] and tonumber(oldest[2]) < cutoff then
  local bound = '(' .. string.format('%d', cutoff)
  forget(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', bound), 1)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', bound)
  pushed = math.max(0, pushed - redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', bound))
  oldest = oldestSample()
end

-- this event's statistics count the samples strictly inside (t - window, t): later ones (an event out of order,
-- or this one scored again) and ones at the window's far edge are left out
local leftOut = {}
if t <= newest then
  for _, sample in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], string.format('%d', t), '+inf')) do
    leftOut[#leftOut + 1] = sample
  end
end
if oldest[2] and tonumber(oldest[2]) <= t - window then
  for _, sample in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', t - window))) do
    leftOut[#leftOut + 1] = sample
  end
end
local size, total, totalSquares, matching = n, sum, squares, 0
for _, text in ipairs(wanted) do
  matching = matching + weightOf[text] * counts[text]
end
local isLeftOut = {}
for _, sample in ipairs(leftOut) do
  local text = textOf(sample)
  local v = tonumber(text)
  size = size - 1
  total = total - v
  totalSquares = totalSquares - v * v
  if weightOf[text] then
    matching = matching - weightOf[text]
  end
  isLeftOut[sample] = true
end
-- an event at or before the newest one sees fewer than the cap in KEYS[1] when later samples pushed earlier ones
-- out: those come back from KEYS[3], newest first, so that it is judged on the samples it would have seen in order
local restored = {}
local oldestTime = oldest[2] or string.format('%d', t)
if t <= newest and size < keep then
  local scored = redis.call('ZREVRANGEBYSCORE', KEYS[3], '(' .. string.format('%d', t),
    '(' .. string.format('%d', t - window), 'WITHSCORES', 'LIMIT', 0, keep - size)
  for i = 1, #scored, 2 do
    local text = textOf(scored[i])
    local v = tonumber(text)
    restored[#restored + 1] = scored[i]
    size = size + 1
    total = total + v
    totalSquares = totalSquares + v * v
    if mode == 'count' and weightOf[text] then
      matching = matching + weightOf[text]
    end
    if tonumber(scored[i + 1]) < tonumber(oldestTime) then
      oldestTime = scored[i + 1]
    end
  end
end

local mean, deviation, median, lowerQuartile, upperQuartile = 0, 0, 0, 0, 0
-- the value at rank position h (from 0) of the ascending values, interpolated between neighbours
local function quantileOf(valueAt, h)
  local below = math.floor(h)
  local low = valueAt(below)
  if h == below then
    return low
  end
  return low + (h - below) * (valueAt(below + 1) - low)
end
if size > 0 then
  mean = total / size
  if size > 1 then
    deviation = math.sqrt(math.max(0, (totalSquares - size * mean * mean) / (size - 1)))
  end
  if mode == 'median' then
    local valueAt
    if #leftOut == 0 and #restored == 0 then
      -- one read of the ranks from the lower to the upper quartile: fewer calls than a read per rank
      local lowest = math.floor((size - 1) * 0.25)
      local span = redis.call('ZRANGE', KEYS[4], lowest, math.min(size - 1, math.floor((size - 1) * 0.75) + 1),
        'WITHSCORES')
      valueAt = function(rank)
        return tonumber(span[2 * (rank - lowest) + 2])
      end
    else
      local values = {}
      local ranked = redis.call('ZRANGE', KEYS[4], 0, -1, 'WITHSCORES')
      for i = 1, #ranked, 2 do
        if not isLeftOut[ranked[i]] then
          values[#values + 1] = tonumber(ranked[i + 1])
        end
      end
      if #restored > 0 then
        for _, sample in ipairs(restored) do
          values[#values + 1] = tonumber(textOf(sample))
        end
        table.sort(values)
      end
      valueAt = function(rank)
        return values[rank + 1]
      end
    end
    lowerQuartile = quantileOf(valueAt, (size - 1) * 0.25)
    median = quantileOf(valueAt, (size - 1) * 0.5)
    upperQuartile = quantileOf(valueAt, (size - 1) * 0.75)
  end
end

-- setting the expiry costs as much as the rest of the call: it is set on keys that start (again), and refreshed when
-- event time enters a new period, which keeps the keys at least (time-to-live - period) after their last sample
local refreshExpiry = n == 0 or math.floor(t / refreshEvery) > math.floor(newest / refreshEvery)
-- an event scored again whose sample the cap already pushed out is not added a second time
local pushedOutBefore = t <= newest and redis.call('ZSCORE', KEYS[3], member)
if not pushedOutBefore and redis.call('ZADD', KEYS[1], t, member) == 1 then
  n = n + 1
  sum = sum + value
  squares = squares + value * value
  if mode == 'count' then
    countChanges[ARGV[3]] = (countChanges[ARGV[3]] or 0) + 1
  elseif mode == 'median' then
    redis.call('ZADD', KEYS[4], value, member)
  end
end
if n > keep then
  local pushedOut = redis.call('ZPOPMIN', KEYS[1], n - keep)
  forget(pushedOut, 2)
  local scored = {}
  for i = 1, #pushedOut, 2 do
    scored[#scored + 1] = pushedOut[i + 1]
    scored[#scored + 1] = pushedOut[i]
  end
  local startsPushedOut = pushed == 0
  pushed = pushed + redis.call('ZADD', KEYS[3], unpack(scored))
  if startsPushedOut and not refreshExpiry then
    redis.call('PEXPIRE', KEYS[3], ttl)
  end
  -- trimmed to the newest ARGV[5] once it holds twice as many, so that a call rarely pays for the trim
  if pushed > 2 * keep then
    pushed = pushed - redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -keep - 1)
  end
end

redis.call('HSET', KEYS[2], 'n', n, 'sum', string.format('%.17g', sum), 'squares', string.format('%.17g', squares),
  'newest', string.format('%d', math.max(t, newest)), 'pushed', pushed)
for text, change in pairs(countChanges) do
  if change ~= 0 then
    redis.call('HINCRBY', KEYS[2], '=' .. text, change)
  end
end
if refreshExpiry then
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, ttl)
  end
end
return {size, tostring(mean), tostring(deviation), tostring(median), tostring(matching), oldestTime, tostring(lowerQuartile),
  tostring(upperQuartile)}
