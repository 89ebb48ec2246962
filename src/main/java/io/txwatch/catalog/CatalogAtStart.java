package io.txwatch.catalog;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Whether this replica's catalog cache holds the catalog topic as it stood when the replica started: until it does,
 * a transaction would be judged against a catalog missing products, so transactions wait (at most
 * {@code txwatch.catalog.await-at-start}). The topic's end offsets are taken once, on the catalog consumer's polling
 * thread; a partition counts as read once the products up to that end have been applied to the cache.
 */
@ApplicationScoped
public class CatalogAtStart {

    private static final Logger LOG = Logger.getLogger(CatalogAtStart.class);
    private static final Duration LOOK_UP_TIMEOUT = Duration.ofSeconds(2);

    /** Not read to the ends seen at start yet. */
    private static final class NotYet extends RuntimeException {
        NotYet() {
            super("the catalog is not read yet", null, false, false);
        }
    }

    private final KafkaClientService clients;
    private final String topic;
    private final Duration awaitAtStart;
    private final Map<Integer, Long> appliedUpTo = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> endsAtStart;
    private volatile boolean settled;

    public CatalogAtStart(KafkaClientService clients, @ConfigProperty(name = "mp.messaging.incoming.catalog.topic") String topic,
            @ConfigProperty(name = "txwatch.catalog.await-at-start") Duration awaitAtStart) {
        this.clients = clients;
        this.topic = topic;
        this.awaitAtStart = awaitAtStart;
    }

    /** Products of this partition up to {@code nextOffset} (exclusive) are in the cache. */
    void applied(int partition, long nextOffset) {
        appliedUpTo.merge(partition, nextOffset, Math::max);
    }

    /** Completes at once when the catalog is read, else once it is, or when the wait at start has run out. */
    public Uni<Void> read() {
        if (settled) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(this::readNow)
                .onItem().transformToUni(read -> read ? Uni.createFrom().voidItem() : Uni.createFrom().<Void>failure(new NotYet()))
                // not read yet, or a look-up that failed (the broker slow to answer): asked again until the wait runs out
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).indefinitely()
                .ifNoItem().after(awaitAtStart).fail()
                .invoke(() -> {
                    if (!settled) {
                        settled = true;
                        LOG.infof("Catalog read to the end it had at start (%s); transactions are judged from now on", endsAtStart);
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!settled) {
                        settled = true;
                        LOG.warnf("The catalog was not read to its end within %s (%s); judging transactions with the "
                                + "products read so far", awaitAtStart, failure.getMessage());
                    }
                    return null;
                });
    }

    private Uni<Boolean> readNow() {
        if (endsAtStart == null) {
            KafkaConsumer<Object, Object> consumer = clients.getConsumer("catalog");
            if (consumer == null) {
                return Uni.createFrom().item(false);
            }
            Function<Consumer<Object, Object>, Map<Integer, Long>> lookUp = this::unreadEnds;
            return consumer.runOnPollingThread(lookUp).invoke(ends -> endsAtStart = ends).map(this::caughtUp);
        }
        return Uni.createFrom().item(caughtUp(endsAtStart));
    }

    /** Each partition's end offset, for the partitions that hold anything between their beginning and end. */
    private Map<Integer, Long> unreadEnds(Consumer<Object, Object> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, LOOK_UP_TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, LOOK_UP_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, LOOK_UP_TIMEOUT);
        Map<Integer, Long> unread = new ConcurrentHashMap<>();
        for (TopicPartition partition : partitions) {
            long end = ends.getOrDefault(partition, 0L);
            if (end > beginnings.getOrDefault(partition, 0L)) {
                unread.put(partition.partition(), end);
            }
        }
        return Map.copyOf(unread);
    }

    private boolean caughtUp(Map<Integer, Long> ends) {
        Set<Integer> behind = new HashSet<>();
        ends.forEach((partition, end) -> {
            if (appliedUpTo.getOrDefault(partition, 0L) < end) {
                behind.add(partition);
            }
        });
        return behind.isEmpty();
    }
}
