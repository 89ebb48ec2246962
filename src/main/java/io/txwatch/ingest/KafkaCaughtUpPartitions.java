package io.txwatch.ingest;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.txwatch.detect.CaughtUpPartitions;

/**
 * Compares, on the consumer's polling thread, the committed offsets of the {@code transactions} partitions this replica
 * holds with their ends. Committed, not fetched: a record fetched but still being processed (a database away, say) is
 * not caught up. Both look-ups are bounded, so that the polling thread is never held for long.
 */
@ApplicationScoped
public class KafkaCaughtUpPartitions implements CaughtUpPartitions {

    private static final Duration LOOK_UP_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaClientService clients;

    public KafkaCaughtUpPartitions(KafkaClientService clients) {
        this.clients = clients;
    }

    @Override
    public Uni<Set<Integer>> caughtUp() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer("transactions");
        if (consumer == null) {
            return Uni.createFrom().item(Set.of());
        }
        Function<Consumer<Object, Object>, Set<Integer>> lookUp = KafkaCaughtUpPartitions::caughtUp;
        return consumer.runOnPollingThread(lookUp).onFailure().recoverWithItem(Set.of());
    }

    private static Set<Integer> caughtUp(Consumer<Object, Object> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return Set.of();
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, LOOK_UP_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, LOOK_UP_TIMEOUT);
        Set<Integer> caughtUp = new HashSet<>();
        for (TopicPartition partition : assigned) {
            long end = ends.getOrDefault(partition, Long.MAX_VALUE);
            OffsetAndMetadata done = committed.get(partition);
            if (end == 0 || done != null && done.offset() >= end) {
                caughtUp.add(partition.partition());
            }
        }
        return caughtUp;
    }
}
