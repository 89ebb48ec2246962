package io.txwatch.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
        Instant now = Instant.now(clock);
        Object[] rows = products.stream().map(product -> Product.of(product, now)).toArray();
        return sessions.withStatelessTransaction(session -> session.upsertAll(rows.length, rows))
                .invoke(() -> products.forEach(cache::put))
                .chain(() -> Uni.join().all(products.stream().map(this::publish).toList()).andFailFast())
                .replaceWithVoid();
    }

    /** Applies a product published by any replica or by an external system; stores it unless already known. */
    Uni<Void> apply(CatalogProduct product) {
        if (cache.holds(product)) {
            return Uni.createFrom().voidItem();
        }
        Product row = Product.of(product, Instant.now(clock));
        return sessions.withStatelessTransaction(session -> session.upsert(row))
                .invoke(() -> cache.put(product));
    }

    /** A tombstone on the topic removes the product. */
    Uni<Void> remove(String sku) {
        return sessions.withStatelessTransaction(session -> session
                .createMutationQuery("delete from Product where sku = :sku").setParameter("sku", sku).executeUpdate())
                .invoke(() -> cache.remove(sku))
                .replaceWithVoid();
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
