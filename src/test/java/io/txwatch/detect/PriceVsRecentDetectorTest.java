package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.catalog.TestCatalog;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.RollingSample;

@QuarkusTest
class PriceVsRecentDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    @Inject
    PriceVsRecentDetector detector;

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

    /** Sales of one product at the given prices, a minute apart. */
    private static List<TransactionEvent> sales(String sku, String... prices) {
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < prices.length; i++) {
            events.add(event().id(sku + "-" + i).customer("c-" + i).at(START.plus(Duration.ofMinutes(i)))
                    .item(sku, "Gift card", 1, prices[i]).build());
        }
        return events;
    }

    @Test
    void aPriceFarBelowTheRecentMedianOfAProductMissingFromTheCatalogIsFlagged() {
        String sku = "OFF-" + UUID.randomUUID();

        List<Finding> findings = detect(sales(sku, "1000.00", "980.00", "1010.00", "1000.00", "995.00", "1005.00",
                "990.00", "1000.00", "1000.00", "1000.00", "985.00", "1015.00", "120.00"));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.type()).isEqualTo(AnomalyType.PRICE_VS_RECENT);
            assertThat(finding.transactionId()).isEqualTo(sku + "-12");
            assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(finding.explanation()).startsWith("Transaction " + sku + "-12: Alice Johnson (customer c-12) bought "
                    + "Gift card (sku " + sku + ") for ₹120.00, 88.0 % below its median price of ₹1,000.00 over its last "
                    + "12 sales, half of which sold between ").endsWith(". CRITICAL: revenue loss.");
        });
    }

    @Test
    void ordinaryDiscountsAndTooShortAHistoryAreNotFlagged() {
        String sku = "OFF-" + UUID.randomUUID();
        assertThat(detect(sales(sku, "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "1000.00",
                "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "700.00"))).isEmpty();
        assertThat(detect(sales("OFF-" + UUID.randomUUID(), "1000.00", "1000.00", "1000.00", "1000.00", "1000.00",
                "1000.00", "1000.00", "1000.00", "1000.00", "100.00"))).as("nine sales").isEmpty();
    }

    @Test
    void aProductSoldAtWidelyVaryingPricesIsJudgedAgainstThatVariation() {
        String[] marketplace = { "400.00", "1600.00", "700.00", "1200.00", "550.00", "900.00", "1000.00", "800.00",
            "1400.00", "600.00", "1100.00", "500.00" };
        String[] fixedPrice = { "850.00", "850.00", "850.00", "850.00", "850.00", "850.00", "850.00", "850.00", "850.00",
            "850.00", "850.00", "850.00" };

        assertThat(detect(sales("MKT-" + UUID.randomUUID(), with(marketplace, "450.00"))))
                .as("half the median, within the product's usual spread").isEmpty();
        assertThat(detect(sales("FIX-" + UUID.randomUUID(), with(fixedPrice, "450.00"))))
                .as("half the price of a product that always sells at one price").hasSize(1);
        assertThat(detect(sales("MKT-" + UUID.randomUUID(), with(marketplace, "85.00"))))
                .as("a tenth of the median, far outside the spread").singleElement()
                .satisfies(finding -> assertThat(finding.explanation())
                        .contains("over its last 12 sales, half of which sold between ₹587.50 and ₹1,125.00"));
        assertThat(detect(sales("MKT-" + UUID.randomUUID(), with(marketplace, "8500.00")))).hasSize(1);
    }

    private static String[] with(String[] prices, String last) {
        String[] all = Arrays.copyOf(prices, prices.length + 1);
        all[prices.length] = last;
        return all;
    }

    @Test
    void aLineAlreadyFlaggedAgainstTheCatalogIsLeftToThatDetector() {
        String sku = "CAT-" + UUID.randomUUID();
        TestCatalog.add(catalog, new CatalogProduct(sku, "Gift card", "gifts", new BigDecimal("1000.00"), "INR"));

        assertThat(detect(sales(sku, "1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "100.00"))).isEmpty();
    }

    @Test
    void aSaleAtTheListPriceAfterSalesAtAFractionOfItIsNoAlarmUnlessTheListPriceIsInAnotherCurrency() {
        String listed = "CAT-" + UUID.randomUUID();
        TestCatalog.add(catalog, new CatalogProduct(listed, "Gift card", "gifts", new BigDecimal("1000.00"), "INR"));
        String listedInDollars = "CAT-" + UUID.randomUUID();
        TestCatalog.add(catalog, new CatalogProduct(listedInDollars, "Gift card", "gifts", new BigDecimal("12.00"), "USD"));
        // a pricing error: ten sales at 40 % of the price, then one at the list price again
        String[] afterAPricingError = { "400.00", "400.00", "400.00", "400.00", "400.00", "400.00", "400.00", "400.00",
                "400.00", "400.00", "1000.00" };

        assertThat(signals(sales(listed, afterAPricingError))).singleElement().satisfies(evidence -> {
            assertThat(evidence.alarm()).isFalse();
            assertThat(evidence.evidence()).containsEntry("atCatalogPrice", true);
        });
        assertThat(detect(sales(listedInDollars, afterAPricingError)))
                .as("no list price in rupees to compare with: judged by its recent sales alone").hasSize(1);
    }

    @Test
    void aMarkupReadsAsACustomerOvercharged() {
        PriceVsRecentDetector pure = new PriceVsRecentDetector(DetectorConfigs.defaults(PriceVsRecentDetector.Config.class),
                DetectorConfigs.defaults(RiskConfig.class), null, null, TestCatalog.with(new SimpleMeterRegistry()),
                DetectorConfigs.defaults(PriceVsCatalogDetector.Config.class), new DetectorMetrics(new SimpleMeterRegistry()));
        TransactionEvent event = event().id("t-9").customer("9").item("SKU-9", 1, "1600.00").build();
        RollingSample.Stats recent = new RollingSample.Stats(20, 1000, 10, 1000, 0, START, 990, 1010);

        Finding finding = pure.judge(event, event.items().get(0), recent, OptionalDouble.empty(), false).orElseThrow();

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.explanation()).endsWith("for ₹1,600.00, 60.0 % above its median price of ₹1,000.00 over its "
                + "last 20 sales, half of which sold between ₹990.00 and ₹1,010.00. HIGH: customer overcharged.");
        assertThat(pure.judge(event, event.items().get(0), recent, OptionalDouble.empty(), true))
                .as("the same price, at the catalog's list price: the recent sales were the odd ones")
                .hasValueSatisfying(evidence -> {
                    assertThat(evidence.alarm()).isFalse();
                    assertThat(evidence.explanation()).endsWith("It sells within the catalog's band around its list "
                            + "price, so the recent sales were the odd ones.");
                });
        assertThat(pure.judge(event, event.items().get(0), new RollingSample.Stats(20, 1100, 10, 1100, 0, START, 1090, 1110),
                OptionalDouble.empty(), false))
                .as("less than the least factor from the median: evidence only").hasValueSatisfying(evidence -> {
                    assertThat(evidence.alarm()).isFalse();
                    assertThat(evidence.strength()).as("3.7 spreads").isBetween(Strength.ofZ(3.7), Strength.ofZ(3.8));
                    assertThat(evidence.explanation()).endsWith("half of which sold between ₹1,090.00 and ₹1,110.00.");
                });
    }

    @Test
    void aThinHistoryIsJudgedWithItsPopulationsSpreadStandingInWeaker() {
        PriceVsRecentDetector pure = new PriceVsRecentDetector(DetectorConfigs.defaults(PriceVsRecentDetector.Config.class),
                DetectorConfigs.defaults(RiskConfig.class), null, null, TestCatalog.with(new SimpleMeterRegistry()),
                DetectorConfigs.defaults(PriceVsCatalogDetector.Config.class), new DetectorMetrics(new SimpleMeterRegistry()));
        TransactionEvent event = event().id("t-10").customer("10").item("SKU-10", 1, "1900.00").build();
        // ten sales that happened to agree within a few per cent: the least spread, 0.10
        RollingSample.Stats tenAgreeing = new RollingSample.Stats(10, 1000, 10, 1000, 0, START, 990, 1010);
        RollingSample.Stats thirtyAgreeing = new RollingSample.Stats(30, 1000, 10, 1000, 0, START, 990, 1010);
        OptionalDouble widelyPricedKind = OptionalDouble.of(0.4);

        assertThat(pure.judge(event, event.items().get(0), tenAgreeing, OptionalDouble.empty(), false))
                .as("no population known").hasValueSatisfying(finding -> assertThat(finding.alarm()).isTrue());
        assertThat(pure.judge(event, event.items().get(0), tenAgreeing, widelyPricedKind, false))
                .as("spread (10 x 0.1 + 20 x 0.4) / 30 = 0.3: 2.1 spreads away, evidence only")
                .hasValueSatisfying(finding -> {
                    assertThat(finding.alarm()).isFalse();
                    assertThat(finding.evidence()).containsEntry("populationLogSpread", 0.4);
                });
        assertThat(pure.judge(event, event.items().get(0), thirtyAgreeing, widelyPricedKind, false))
                .as("from thirty sales the product's own spread decides alone").hasValueSatisfying(finding -> {
                    assertThat(finding.alarm()).isTrue();
                    assertThat(finding.evidence()).doesNotContainKey("populationLogSpread");
                });
    }

    @Test
    void productsWithALongHistoryTeachTheirCategoryHowWidelyItsPricesVary() {
        String category = "cat-" + UUID.randomUUID();
        String wide = "WIDE-" + UUID.randomUUID();
        String thin = "THIN-" + UUID.randomUUID();
        // listed in another currency than they sell in, so that the catalog band leaves them to this detector
        TestCatalog.add(catalog, new CatalogProduct(wide, "Vintage lamp", category, new BigDecimal("10.00"), "USD"));
        TestCatalog.add(catalog, new CatalogProduct(thin, "Vintage clock", category, new BigDecimal("10.00"), "USD"));
        String[] widePrices = new String[40];
        for (int i = 0; i < widePrices.length; i++) {
            // log prices spread evenly over +-0.6 around 1,000: a robust spread of about 0.45
            widePrices[i] = BigDecimal.valueOf(1000 * Math.exp(-0.6 + 1.2 * ((i * 17) % 40) / 39.0))
                    .setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
        }
        assertThat(detect(sales(wide, widePrices))).isEmpty();

        List<Finding> findings = signals(sales(thin, "1000.00", "1005.00", "995.00", "1000.00", "1010.00", "990.00",
                "1000.00", "1002.00", "998.00", "1000.00", "1900.00"));

        assertThat(findings).as("1.9 times the median of ten agreeing sales, judged by the category's spread")
                .noneMatch(Finding::alarm).singleElement()
                .satisfies(evidence -> assertThat((Double) evidence.evidence().get("populationLogSpread")).isBetween(0.35, 0.55));
    }
}
