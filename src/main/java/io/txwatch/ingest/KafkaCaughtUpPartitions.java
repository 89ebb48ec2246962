package io.txwatch.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.txwatch.detect.CaughtUpPartitions;

/**
 * Compares, on the consumer's polling thread, the committed offsets of the {@code transactions} partitions this replica
 * holds with their ends: the partitions caught up, and each one's lag, exported as {@code txwatch_consumer_lag_records}
 * on a timer of its own. Committed, not fetched: a record fetched but still being processed (a database away, say) is
 * not caught up. Both look-ups are bounded, so that the polling thread is never held for long.
 */
@ApplicationScoped
public class KafkaCaughtUpPartitions implements CaughtUpPartitions {

    private static final Duration LOOK_UP_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MEASURED_LATELY = Duration.ofSeconds(5);

    private final KafkaClientService clients;
    private final MeterRegistry registry;
    /** The lag of each partition this replica holds; a partition that moved to another replica is reported there. */
    private final Map<Integer, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Map<Integer, Gauge> gauges = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastMeasured = new AtomicReference<>();

    public KafkaCaughtUpPartitions(KafkaClientService clients, MeterRegistry registry) {
        this.clients = clients;
        this.registry = registry;
    }

    @Override
    public Uni<Set<Integer>> caughtUp() {
        return lags().map(lagByPartition -> lagByPartition.entrySet().stream().filter(lag -> lag.getValue() <= 0)
                .map(Map.Entry::getKey).collect(Collectors.toSet()));
    }

    /**
     * Measures the lag where nothing else did lately: the bucket detectors' timer asks for the partitions caught up every
     * few seconds, and each look-up holds the polling thread for two broker requests.
     */
    @Scheduled(every = "${txwatch.consumer-lag.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measureLag() {
        Instant last = lastMeasured.get();
        if (last != null && last.isAfter(Instant.now().minus(MEASURED_LATELY))) {
            return Uni.createFrom().voidItem();
        }
        return lags().replaceWithVoid();
    }

    /** Records not yet processed and committed in each partition held, exported as they are found. */
    private Uni<Map<Integer, Long>> lags() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer("transactions");
        if (consumer == null) {
            return Uni.createFrom().item(Map.of());
        }
        Function<Consumer<Object, Object>, Map<Integer, Long>> lookUp = KafkaCaughtUpPartitions::lags;
        return consumer.runOnPollingThread(lookUp)
                .invoke(lagByPartition -> {
                    lastMeasured.set(Instant.now());
                    export(lagByPartition);
                })
                // a failed look-up leaves the lags last known standing, rather than reporting none
                .onFailure().recoverWithItem(Map.of());
    }

    private static Map<Integer, Long> lags(Consumer<Object, Object> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, LOOK_UP_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, LOOK_UP_TIMEOUT);
        Map<Integer, Long> lags = new HashMap<>();
        for (TopicPartition partition : assigned) {
            Long end = ends.get(partition);
            if (end != null) {
                OffsetAndMetadata done = committed.get(partition);
                lags.put(partition.partition(), Math.max(0, end - (done == null ? 0 : done.offset())));
            }
        }
        return lags;
    }

    /** Exports the partitions held; those no longer held are reported by their new holder, so their gauges go. */
    private void export(Map<Integer, Long> lagByPartition) {
        lagByPartition.forEach((partition, lag) -> lags.computeIfAbsent(partition, this::gauge).set(lag));
        Set.copyOf(lags.keySet()).stream().filter(partition -> !lagByPartition.containsKey(partition)).forEach(partition -> {
            lags.remove(partition);
            registry.remove(gauges.remove(partition));
        });
    }

    private AtomicLong gauge(int partition) {
        AtomicLong lag = new AtomicLong();
        gauges.put(partition, Gauge.builder("txwatch.consumer.lag", lag, AtomicLong::get)
                .description("Records of topic transactions not yet processed and committed, per partition held")
                .baseUnit("records").tag("topic", "transactions").tag("partition", Integer.toString(partition))
                .register(registry));
        return lag;
    }
}
