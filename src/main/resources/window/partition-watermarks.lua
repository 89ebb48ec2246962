-- Moves the event-time watermark of Kafka partitions on, never back: two replicas that both held a partition during a
-- rebalance leave the later of their two watermarks.
-- KEYS[1] hash: partition -> newest event time ms
-- ARGV pairs (partition, newest event time ms)
for i = 1, #ARGV, 2 do
  local known = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '-1')
  if tonumber(ARGV[i + 1]) > known then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
return 1
