package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.catalog.TestCatalog;
import io.txwatch.event.TransactionEvent;

@QuarkusTest
class BulkQuantityDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    @Inject
    BulkQuantityDetector detector;

    @Inject
    CatalogCache catalog;

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

    /**
     * A new product listed in a category of its own, so that the category's usual quantity is only what a test gives
     * it (products missing from the catalog share one population with every other test's).
     */
    private String listedAlone() {
        return listedIn("cases-" + UUID.randomUUID());
    }

    private String listedIn(String category) {
        String sku = "SKU-" + UUID.randomUUID();
        TestCatalog.add(catalog, new CatalogProduct(sku, "Phone case", category, new BigDecimal("300.00"), "INR"));
        return sku;
    }

    @Test
    void aQuantityFarAboveTheProductsUsualOrderIsFlagged() {
        String sku = listedAlone();

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
        assertThat(detect(orders(listedAlone(), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8))).isEmpty();
        assertThat(detect(orders(listedAlone(), 50))).isEmpty();
    }

    @Test
    void aProductWithoutHistoryIsJudgedAgainstItsCategorysUsualQuantityWeaker() {
        String category = "cases-" + UUID.randomUUID();
        String bestSeller = listedIn(category);
        int[] ones = new int[25];
        Arrays.fill(ones, 1);
        ones[0] = 2;
        ones[1] = 2;
        assertThat(detect(orders(bestSeller, ones))).as("orders of 1 and 2 of a product sold 25 times").isEmpty();
        String newcomer = listedIn(category);

        List<Finding> findings = detect(List.of(event().id(newcomer + "-0").customer("c-0").at(START.plus(Duration.ofHours(1)))
                .item(newcomer, "Phone case", 30, "300.00").build()));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).as("never HIGH by its category alone, though 27 times its usual")
                    .isEqualTo(Severity.MODERATE);
            assertThat(finding.explanation()).contains("ordered 30 × Phone case (sku " + newcomer + "), 27 times the "
                    + "usual 1.1 per order among category " + category + " (it has 0 orders of its own)");
            // the bestseller counted once, as it first had 20 orders: 2, 2 and eighteen 1s
            assertThat((Double) finding.evidence().get("categoryUsualQuantity")).isCloseTo(1.1, within(1e-9));
        });
        assertThat(detect(List.of(event().id(newcomer + "-1").customer("c-1").at(START.plus(Duration.ofHours(2)))
                .item(listedAlone(), "Phone case", 30, "300.00").build())))
                .as("the same order of a product alone in its category").isEmpty();
        String byFours = listedIn(category);
        assertThat(detect(orders(byFours, 4, 4, 4, 4, 4, 45))).as("five orders of 4 outweigh the category's 1.1")
                .singleElement().satisfies(finding -> {
                    assertThat(finding.severity()).isEqualTo(Severity.MODERATE);
                    assertThat(finding.explanation()).contains("11 times its usual 4.0 per order (mean of its last 5 orders)");
                });
    }

    @Test
    void aboveTheCapIsFlaggedEvenForANewProduct() {
        assertThat(detect(orders("SKU-" + UUID.randomUUID(), 51))).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).contains("ordered 51 × Phone case", "above the cap of 50 per order");
        });
    }
}
