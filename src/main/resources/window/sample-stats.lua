-- A rolling sample of one entity's values (a product's prices, a customer's amounts or hours): returns the
-- statistics of the samples before this event in the window, then adds this event's value. Adding is idempotent
-- (the member carries the sample id), so a batch scored twice counts nothing twice.
-- KEYS[1] sorted set: member = "<sample id>\31<value>", score = event time (ms)
-- ARGV[1] event time ms, ARGV[2] sample id, ARGV[3] value, ARGV[4] window ms, ARGV[5] samples kept at most,
-- ARGV[6] allowed lateness ms, ARGV[7] key time-to-live ms,
-- ARGV[8] values to count among the earlier samples, separated by commas (may be empty)
-- An event too late for its partition never reaches this script (the pipeline holds it back).
-- Returns {samples, mean, standard deviation, median, samples whose value is among ARGV[8],
-- event time of the oldest sample kept (ms, or the event's own time when none)}
local t = tonumber(ARGV[1])
local member = ARGV[2] .. '\31' .. ARGV[3]
local window = tonumber(ARGV[4])
local keep = tonumber(ARGV[5])
local lateness = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])

local watermark = t
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if newest[2] then
  watermark = math.max(t, tonumber(newest[2]))
end

local wanted = {}
for value in string.gmatch(ARGV[8], '[^,]+') do
  wanted[value] = true
end

local earlier = redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. string.format('%d', t),
  '(' .. string.format('%d', t - window), 'LIMIT', 0, keep)
local values = {}
local sum, squares, matching = 0, 0, 0
for i, sample in ipairs(earlier) do
  local text = string.match(sample, '\31([^\31]*)$')
  local value = tonumber(text)
  values[i] = value
  sum = sum + value
  squares = squares + value * value
  if wanted[text] then
    matching = matching + 1
  end
end

local n = #values
local mean, deviation, median = 0, 0, 0
if n > 0 then
  mean = sum / n
  if n > 1 then
    deviation = math.sqrt(math.max(0, (squares - n * mean * mean) / (n - 1)))
  end
  table.sort(values)
  if n % 2 == 1 then
    median = values[(n + 1) / 2]
  else
    median = (values[n / 2] + values[n / 2 + 1]) / 2
  end
end

local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or string.format('%d', t)
redis.call('ZADD', KEYS[1], t, member)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', watermark - window - lateness))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(keep + 2))
redis.call('PEXPIRE', KEYS[1], ttl)
return {n, tostring(mean), tostring(deviation), tostring(median), matching, oldest}
