package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.catalog.TestCatalog;
import io.txwatch.event.TransactionEvent;

@QuarkusTest
class DetectionEngineTest {

    private static final Instant START = Instant.parse("2026-09-16T09:30:00Z");

    @Inject
    DetectionEngine engine;

    @Inject
    CatalogCache catalog;

    @Inject
    MeterRegistry registry;

    @Test
    void lateEventsStayOutOfWindowsAreCountedAndAreStillJudgedByDetectorsWithoutWindows() {
        String customer = "c-" + UUID.randomUUID();
        String sku = "SKU-" + UUID.randomUUID();
        TestCatalog.add(catalog, new CatalogProduct(sku, "Laptop", "electronics", new BigDecimal("50000.00"), "INR"));
        List<TransactionEvent> burst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            burst.add(event().id(customer + "-" + i).customer(customer).at(START.plusSeconds(i)).item(sku, 1, "500.00").build());
        }
        double lateBefore = lateCount();

        List<Finding> findings = engine.detect(EventBatch.of(burst, burst.stream().map(TransactionEvent::transactionId)
                .collect(Collectors.toSet()), Map.of())).await().atMost(Duration.ofSeconds(10));

        assertThat(findings).extracting(Finding::type).containsOnly(AnomalyType.PRICE_VS_CATALOG).hasSize(7);
        assertThat(lateCount()).isEqualTo(lateBefore + 7);
    }

    @Test
    void theSameEventsOnTimeFeedTheWindows() {
        String customer = "c-" + UUID.randomUUID();
        List<TransactionEvent> burst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            burst.add(event().customer(customer).at(START.plusSeconds(i)).build());
        }

        List<Finding> findings = engine.detect(EventBatch.of(burst, Set.of(), Map.of())).await().atMost(Duration.ofSeconds(10));

        assertThat(findings).extracting(Finding::type).contains(AnomalyType.VELOCITY);
    }

    private double lateCount() {
        return registry.get("txwatch.events.late").tag("detector", "VELOCITY").counter().count();
    }
}
