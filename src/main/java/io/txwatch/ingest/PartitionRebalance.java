package io.txwatch.ingest;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Keeps the lateness watermarks true when partitions of {@code transactions} move between replicas: a partition
 * assigned or revoked is forgotten here, and its watermark read back from Redis, where the last holder left it.
 */
@ApplicationScoped
@Identifier("transactions-rebalance")
public class PartitionRebalance implements KafkaConsumerRebalanceListener {

    private final PartitionWatermarks watermarks;

    public PartitionRebalance(PartitionWatermarks watermarks) {
        this.watermarks = watermarks;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watermarks.forget(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watermarks.forget(partitions.stream().map(TopicPartition::partition).toList());
    }
}
