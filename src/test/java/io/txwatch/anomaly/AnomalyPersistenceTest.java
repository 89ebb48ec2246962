package io.txwatch.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The Flyway-migrated anomaly table, written and read through Hibernate Reactive on the real PostgreSQL. */
@QuarkusTest
class AnomalyPersistenceTest {

    @Test
    void anAnomalyIsStoredAndReadBackWithItsEvidence() throws Throwable {
        Anomaly anomaly = new Anomaly();
        anomaly.id = UUID.randomUUID();
        anomaly.dedupKey = "PRICE_VS_CATALOG:tx-" + anomaly.id;
        anomaly.type = AnomalyType.PRICE_VS_CATALOG;
        anomaly.severity = Severity.CRITICAL;
        anomaly.score = 0.99;
        anomaly.occurredAt = Instant.parse("2026-09-16T10:15:30Z");
        anomaly.detectedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        anomaly.updatedAt = anomaly.detectedAt.plusSeconds(60);
        anomaly.revision = 3;
        anomaly.transactionId = "tx-" + anomaly.id;
        anomaly.customerId = "1";
        anomaly.sku = "LAPTOP-1";
        anomaly.explanation = "Laptop sold for ₹500.00 against a list price of ₹50,000.00 — a 99.0 % discount.";
        anomaly.evidence = Map.of("listPrice", "50000.00", "unitPrice", "500.00", "deviation", new BigDecimal("-0.99"));

        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(anomaly::persist));
        Anomaly stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Anomaly.<Anomaly>findById(anomaly.id)));

        assertThat(stored.type).isEqualTo(AnomalyType.PRICE_VS_CATALOG);
        assertThat(stored.severity).isEqualTo(Severity.CRITICAL);
        assertThat(stored.occurredAt).isEqualTo(anomaly.occurredAt);
        assertThat(stored.detectedAt).isEqualTo(anomaly.detectedAt);
        assertThat(stored.updatedAt).isEqualTo(anomaly.updatedAt);
        assertThat(stored.revision).isEqualTo(3);
        assertThat(stored.explanation).isEqualTo(anomaly.explanation);
        assertThat(stored.evidence).containsEntry("listPrice", "50000.00").containsKey("deviation");
    }
}
