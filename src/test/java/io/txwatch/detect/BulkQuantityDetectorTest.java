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

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.catalog.TestCatalog;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

@QuarkusTest
class BulkQuantityDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    @Inject
    BulkQuantityDetector detector;

    @Inject
    CatalogCache catalog;

    @Inject
    BulkQuantityDetector.Config config;

    @Inject
    RiskConfig risk;

    @Inject
    WindowConfig windows;

    @Inject
    WindowStore store;

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
            events.add(order(sku, i, quantities[i]));
        }
        return events;
    }

    /** The product, after orders of the given quantities that raised no alarm. */
    private String withHistory(String sku, int... quantities) {
        assertThat(detect(orders(sku, quantities))).as("its history").isEmpty();
        return sku;
    }

    private static int[] ones(int orders) {
        int[] ones = new int[orders];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** The order of the product numbered {@code index} after {@link #orders}. */
    private static TransactionEvent order(String sku, int index, int quantity) {
        return event().id(sku + "-" + index).customer("c-" + index).at(START.plus(Duration.ofMinutes(index)))
                .item(sku, "Phone case", quantity, "300.00").build();
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
                    + "40 × Phone case (sku " + sku + "), 27 times its usual 1.5 per order (mean of its last 10 orders, half "
                    + "of which held 1 to 2 units) — reselling, hoarding or a quantity typo. MODERATE.");
            // median 1, quartiles 1 and 2: a spread of ln 2 / 1.349
            assertThat((Double) finding.evidence().get("robustZ")).isCloseTo(Math.log(40) / (Math.log(2) / 1.349),
                    within(1e-9));
        });
    }

    @Test
    void aProductOftenSoldInPacksIsJudgedAgainstThatSpreadAndOneAlwaysBoughtSinglyTightly() {
        // seven singles and three six-packs: a mean of 2.5, a median of 1, quartiles 1 and 4.75
        int[] singlesAndSixPacks = {1, 6, 1, 1, 6, 1, 1, 6, 1, 1};
        double spread = Math.log(4.75) / 1.349;

        List<Finding> thirty = signals(List.of(order(withHistory(listedAlone(), singlesAndSixPacks), 10, 30)));

        assertThat(thirty).as("12 times the mean, but 2.9 spreads above the median").singleElement()
                .satisfies(finding -> {
                    assertThat(finding.alarm()).isFalse();
                    assertThat((Double) finding.evidence().get("multipleOfUsual")).isCloseTo(12, within(1e-9));
                    assertThat((Double) finding.evidence().get("robustZ")).isCloseTo(Math.log(30) / spread, within(1e-9));
                    assertThat(finding.strength()).as("the robust z-score's, the lesser surprise")
                            .isCloseTo(Strength.ofZ(Math.log(30) / spread), within(1e-9))
                            .isLessThan(Strength.ofCount(30, 2.5));
                });
        assertThat(detect(List.of(order(withHistory(listedAlone(), singlesAndSixPacks), 10, 45))))
                .as("3.3 spreads above it").singleElement()
                .satisfies(finding -> assertThat(finding.explanation()).contains("ordered 45 × Phone case",
                        "18 times its usual 2.5 per order (mean of its last 10 orders, half of which held 1 to 5 units)"));

        assertThat(detect(List.of(order(withHistory(listedAlone(), ones(10)), 10, 10))))
                .as("10 of a product always bought singly").singleElement()
                .satisfies(finding -> assertThat((Double) finding.evidence().get("logSpread")).as("the least spread")
                        .isEqualTo(0.5));
    }

    @Test
    void countNoiseAloneIsNoSurprise() {
        String bySingles = withHistory(listedAlone(), ones(10));

        // 2.2 least spreads above the median, but by a Poisson law around a mean of 1 it happens once in twelve orders
        assertThat(signals(List.of(order(bySingles, 10, 3)))).isEmpty();
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
        int[] ones = ones(25);
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
                    assertThat(finding.explanation()).contains("11 times its usual 4.0 per order (mean of its last 5 orders, "
                            + "half of which held 4 units)");
                });
    }

    @Test
    void aNewProductInACategorySoldInPacksIsJudgedByThatCategorysSpread() {
        String category = "cases-" + UUID.randomUUID();
        int[] singlesAndSixPacks = new int[30];
        for (int i = 0; i < singlesAndSixPacks.length; i++) {
            singlesAndSixPacks[i] = i % 10 == 1 || i % 10 == 4 || i % 10 == 7 ? 6 : 1;
        }
        withHistory(listedIn(category), singlesAndSixPacks);
        String newcomer = listedIn(category);

        List<Finding> findings = signals(List.of(order(newcomer, 0, 30)));

        // the bestseller counted once, as it first had 20 orders: fourteen singles and six six-packs
        double categorySpread = Math.log(6) / 1.349;
        assertThat(findings).as("12 times the category's usual 2.5, but 1.9 of its spreads").singleElement()
                .satisfies(finding -> {
                    assertThat(finding.alarm()).isFalse();
                    assertThat((Double) finding.evidence().get("categoryUsualQuantity")).isCloseTo(2.5, within(1e-9));
                    assertThat((Double) finding.evidence().get("categoryLogSpread")).isCloseTo(categorySpread,
                            within(1e-9));
                    assertThat((Double) finding.evidence().get("robustZ")).isCloseTo(Math.log(12) / categorySpread,
                            within(1e-9));
                });
    }

    @Test
    void linesOfAProductWithTooFewOrdersOfItsOwnAreCountedAsJudgedWithoutItsHistory() {
        // a detector of its own, so that the pipeline consuming in the background cannot add to its count
        MeterRegistry registry = new SimpleMeterRegistry();
        BulkQuantityDetector counting = new BulkQuantityDetector(config, risk, windows, store, catalog,
                new DetectorMetrics(registry));

        counting.detect(orders(listedAlone(), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)).await().atMost(Duration.ofSeconds(10));

        assertThat(registry.get("txwatch.detector.thin.baselines").tag("detector", "BULK_QUANTITY").counter().count())
                .as("the first 10 orders had fewer than 10 before them, the last 2 had enough").isEqualTo(10);
    }

    @Test
    void aboveTheCapIsFlaggedEvenForANewProduct() {
        assertThat(detect(orders("SKU-" + UUID.randomUUID(), 51))).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.HIGH);
            assertThat(finding.explanation()).contains("ordered 51 × Phone case", "above the cap of 50 per order");
        });
    }
}
