package io.txwatch.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Changes to the catalog: stored in PostgreSQL, applied to this replica's cache, and published to the
 * compacted {@code catalog} topic from which every other replica updates its own cache.
 */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final Mutiny.SessionFactory sessions;
    private final CatalogCache cache;
    private final MutinyEmitter<byte[]> catalogTopic;
    private final ObjectMapper json;
    private final Clock clock;

    public CatalogService(Mutiny.SessionFactory sessions, CatalogCache cache,
            @Channel("catalog-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384) MutinyEmitter<byte[]> catalogTopic,
            ObjectMapper json, Clock clock) {
        this.sessions = sessions;
        this.cache = cache;
        this.catalogTopic = catalogTopic;
        this.json = json;
        this.clock = clock;
    }

    /** Fills the cache before the first event is scored. */
    void loadOnStart(@Observes StartupEvent start) throws Throwable {
        List<Product> products = VertxContextSupport.subscribeAndAwait(() -> sessions.withStatelessSession(
                session -> session.createSelectionQuery("from Product", Product.class).getResultList()));
        products.forEach(product -> cache.put(product.toCatalogProduct()));
        LOG.infof("Catalog loaded: %d products", products.size());
    }

    /** Stores the products (new or changed), then publishes them; completes when Kafka has them. */
    public Uni<Void> save(List<CatalogProduct> products) {
        return sessions.withStatelessTransaction(session -> upsert(session, products))
                .invoke(() -> products.forEach(cache::put))
                .chain(() -> Uni.join().all(products.stream().map(this::publish).toList()).andFailFast())
                .replaceWithVoid();
    }

    /**
     * Applies products published by any replica or by an external system, and removals (an empty value), storing
     * what the cache does not hold already. The cache takes them first: events are scored against the cache, and a
     * stream that starts right after its catalog must not be judged without it. The table only serves the next
     * start; the topic, read from its beginning, holds every product anyway.
     */
    Uni<Void> apply(Map<String, Optional<CatalogProduct>> latestBySku) {
        List<CatalogProduct> changed = latestBySku.values().stream().flatMap(Optional::stream)
                .filter(product -> !cache.holds(product)).toList();
        List<String> removed = latestBySku.entrySet().stream().filter(entry -> entry.getValue().isEmpty())
                .map(Map.Entry::getKey).toList();
        if (changed.isEmpty() && removed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        changed.forEach(cache::put);
        removed.forEach(cache::remove);
        return sessions.withStatelessTransaction(session -> upsert(session, changed)
                .chain(() -> removed.isEmpty() ? Uni.createFrom().voidItem()
                        : session.createMutationQuery("delete from Product where sku in :skus")
                                .setParameter("skus", removed).executeUpdate().replaceWithVoid()));
    }

    private Uni<Void> upsert(Mutiny.StatelessSession session, List<CatalogProduct> products) {
        Instant now = Instant.now(clock);
        Object[] rows = products.stream().map(product -> Product.of(product, now)).toArray();
        return session.upsertAll(rows.length, rows);
    }

    private Uni<Void> publish(CatalogProduct product) {
        try {
            byte[] value = json.writeValueAsBytes(product);
            return catalogTopic.sendMessage(Message.of(value)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(product.sku()).build()));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
