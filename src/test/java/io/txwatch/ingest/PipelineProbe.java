package io.txwatch.ingest;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.vertx.VertxContextSupport;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.anomaly.Anomaly;
import io.txwatch.store.StoredTransaction;

/** Test access to what the pipeline stored, read on a Vert.x context as Hibernate Reactive wants. */
@ApplicationScoped
public class PipelineProbe {

    private final Mutiny.SessionFactory sessions;

    public PipelineProbe(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public StoredTransaction transaction(String transactionId) throws Exception {
        return await(() -> sessions.withStatelessSession(session -> session.get(StoredTransaction.class, transactionId)));
    }

    public long processedCount(String transactionId) throws Exception {
        return await(() -> sessions.withStatelessSession(session -> session
                .createSelectionQuery("select count(*) from ProcessedTransaction p where p.transactionId = :id", Long.class)
                .setParameter("id", transactionId).getSingleResult()));
    }

    public List<Anomaly> anomaliesOf(String transactionId) throws Exception {
        return await(() -> sessions.withStatelessSession(session -> session
                .createSelectionQuery("from Anomaly a where a.transactionId = :id", Anomaly.class)
                .setParameter("id", transactionId).getResultList()));
    }

    private static <T> T await(Supplier<Uni<T>> query) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(query);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lists the laptop of {@link io.txwatch.event.TestEvents#laptopPurchase} in the catalog, at 50,000.00 INR. */
    public static void listLaptop(RequestSpecification request, String sku) {
        request.contentType("application/json")
                .body("{\"name\":\"Laptop\",\"category\":\"electronics\",\"listPrice\":50000.00,\"currency\":\"INR\"}")
                .when().put("/api/v1/catalog/products/" + sku).then().statusCode(200);
    }

    public static void publish(KafkaCompanion kafka, String topic, String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion(Duration.ofSeconds(30));
    }
}
