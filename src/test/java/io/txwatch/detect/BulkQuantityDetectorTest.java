package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;

@QuarkusTest
class BulkQuantityDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    @Inject
    BulkQuantityDetector detector;

    /** The batch's alarms: what the detector flags by its own thresholds. */
    private List<Finding> detect(List<TransactionEvent> batch) {
        return signals(batch).stream().filter(Finding::alarm).toList();
    }

    /** Everything the detector reports about the batch, evidence below its thresholds included. */
    private List<Finding> signals(List<TransactionEvent> batch) {
        return detector.detect(batch).await().atMost(Duration.ofSeconds(10));
    }

    /** Orders of one product with the given quantities, a minute apart. */
    private static List<TransactionEvent> orders(String sku, int... quantities) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < quantities.length; i++) {
            events.add(event().id(sku + "-" + i).customer("c-" + i).at(START.plus(Duration.ofMinutes(i)))
                    .item(sku, "Phone case", quantities[i], "300.00").build());
        }
        return events;
    }

    @Test
    void aQuantityFarAboveTheProductsUsualOrderIsFlagged() {
        String sku = "SKU-" + UUID.randomUUID();

        List<Finding> findings = detect(orders(sku, 1, 2, 1, 1, 2, 1, 1, 3, 1, 2, 40));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.BULK_QUANTITY);
            assertThat(finding.sku()).isEqualTo(sku);
            assertThat(finding.severity()).isEqualTo(Severity.MODERATE);
            assertThat(finding.explanation()).isEqualTo("Transaction " + sku + "-10: Alice Johnson (customer c-10) ordered "
                    + "40 × Phone case (sku " + sku + "), 27 times its usual 1.5 per order (mean of its last 10 orders) — "
                    + "reselling, hoarding or a quantity typo. MODERATE.");
        });
    }

    @Test
    void aFewMoreThanUsualOrAnyQuantityWithoutHistoryUpToTheCapIsNotFlagged() {
        assertThat(detect(orders("SKU-" + UUID.randomUUID(), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8))).isEmpty();
        assertThat(detect(orders("SKU-" + UUID.randomUUID(), 50))).isEmpty();
    }

    @Test
    void aboveTheCapIsFlaggedEvenForANewProduct() {
        assertThat(detect(orders("SKU-" + UUID.randomUUID(), 51))).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).contains("ordered 51 × Phone case", "above the cap of 50 per order");
        });
    }
}
