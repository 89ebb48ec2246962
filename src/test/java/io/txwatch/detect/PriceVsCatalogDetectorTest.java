package io.txwatch.detect;

import static io.txwatch.event.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.catalog.TestCatalog;
import io.txwatch.event.TestEvents;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;

@QuarkusTest
class PriceVsCatalogDetectorTest {

    private static final Instant START = Instant.parse("2026-09-16T09:00:00Z");

    private static final PriceVsCatalogDetector.Config DEFAULTS = new PriceVsCatalogDetector.Config() {
        public boolean enabled() { return true; }
        public double minRatio() { return 0.75; }
        public double maxRatio() { return 1.05; }
        public double moderateAbove() { return 0.10; }
        public double highAbove() { return 0.25; }
        public double criticalAbove() { return 0.50; }
        public boolean heedRecentSales() { return false; }
        public int samePriceSales() { return 3; }
        public double samePriceTolerance() { return 0.05; }
    };

    private final CatalogCache catalog = TestCatalog.with(new SimpleMeterRegistry(),
            new CatalogProduct("LAPTOP", "Laptop", "electronics", new BigDecimal("50000.00"), "INR"),
            new CatalogProduct("HEADPHONES", "Headphones", "electronics", new BigDecimal("2000.00"), "INR"));
    /** The band alone, without a look at recent sales. */
    private final PriceVsCatalogDetector detector = new PriceVsCatalogDetector(catalog, DEFAULTS, null, null);

    @Inject
    PriceVsCatalogDetector heedingRecentSales;

    @Inject
    PriceVsRecentDetector recentPrices;

    @Inject
    CatalogCache sharedCatalog;

    private List<Finding> detect(String sku, String unitPrice) {
        String json = TestEvents.laptopPurchase("921", "1", sku, unitPrice);
        TransactionEvent event = ((TransactionEventJson.Valid) TransactionEventJson.read(json.getBytes(StandardCharsets.UTF_8))).event();
        return detector.detect(List.of(event)).await().indefinitely();
    }

    @Test
    void aNinetyNinePercentDiscountIsCriticalRevenueLoss() {
        Finding finding = detect("LAPTOP", "500.00").get(0);

        assertThat(finding.type()).isEqualTo(AnomalyType.PRICE_VS_CATALOG);
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.explanation()).isEqualTo("Transaction 921: Alice Johnson (customer 1) bought Laptop for ₹500.00 "
                + "against a list price of ₹50,000.00 — a 99.0 % discount. CRITICAL: revenue loss.");
        assertThat(finding.evidence()).containsEntry("direction", "discount").containsEntry("listPrice", new BigDecimal("50000.00"));
        assertThat(finding.dedupKey()).isEqualTo("PRICE_VS_CATALOG:921:LAPTOP");
    }

    @Test
    void aTwentyFivePercentMarkupReadsAsACustomerOvercharged() {
        Finding finding = detect("HEADPHONES", "2500.00").get(0);

        assertThat(finding.severity()).isEqualTo(Severity.MODERATE);
        assertThat(finding.explanation()).endsWith("— a 25.0 % markup. MODERATE: customer overcharged.");
    }

    @Test
    void severityFollowsTheDeviationTiers() {
        assertThat(detect("LAPTOP", "30000.00").get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(detect("LAPTOP", "54000.00").get(0).severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void pricesJustInsideTheAllowedBandAreNotFlagged() {
        assertThat(detect("LAPTOP", "37500.00")).isEmpty();
        assertThat(detect("LAPTOP", "52500.00")).isEmpty();
        assertThat(detect("LAPTOP", "37499.99")).hasSize(1);
    }

    @Test
    void productsOutsideTheCatalogAreLeftToOtherDetectors() {
        assertThat(detect("UNKNOWN-SKU", "1.00")).isEmpty();
    }

    /** A catalog product at a list price of 1,000, and sales of it at the given prices, a minute apart. */
    private List<TransactionEvent> listedAndSold(String sku, String... prices) {
        TestCatalog.add(sharedCatalog, new CatalogProduct(sku, "Gift card", "gifts", new BigDecimal("1000.00"), "INR"));
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < prices.length; i++) {
            events.add(event().id(sku + "-" + i).customer("c-" + i).at(START.plus(Duration.ofMinutes(i)))
                    .item(sku, "Gift card", 1, prices[i]).build());
        }
        return events;
    }

    /** What the catalog detector reports on the last sale, the others having made the product's recent prices. */
    private List<Finding> lastOf(List<TransactionEvent> sales) {
        recentPrices.detect(sales.subList(0, sales.size() - 1)).await().atMost(Duration.ofSeconds(10));
        return heedingRecentSales.detect(sales.subList(sales.size() - 1, sales.size())).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aDiscountInLineWithTheProductsRecentSalesIsEvidenceNotAnAlarm() {
        String sku = "PROMO-" + UUID.randomUUID();
        String[] promotion = new String[13];
        Arrays.fill(promotion, "600.00");

        assertThat(lastOf(listedAndSold(sku, promotion))).singleElement().satisfies(finding -> {
            assertThat(finding.alarm()).isFalse();
            assertThat(finding.explanation()).isEqualTo("Transaction " + sku + "-12: Alice Johnson (customer c-12) bought "
                    + "Gift card for ₹600.00 against a list price of ₹1,000.00, in line with its last 12 sales (median "
                    + "₹600.00; 12 other customers within 5.0 % of this price): the list price looks out of date, or a "
                    + "promotion runs that the catalog does not carry.");
            assertThat(finding.evidence()).containsEntry("recentSales", 12L).containsEntry("ratioToList", 0.6);
        });
    }

    @Test
    void aDiscountFarFromRecentSalesOrWithTooFewOfThemStaysAnAlarm() {
        String far = "CUT-" + UUID.randomUUID();
        String[] atList = new String[13];
        Arrays.fill(atList, "1000.00");
        // 30 % below a price that never varied: too little for price-vs-recent, outside every recent sale for the catalog's
        atList[12] = "700.00";
        assertThat(lastOf(listedAndSold(far, atList))).singleElement().satisfies(finding -> {
            assertThat(finding.alarm()).isTrue();
            assertThat(finding.explanation()).endsWith("— a 30.0 % discount. HIGH: revenue loss.");
        });

        String firstSales = "NEW-" + UUID.randomUUID();
        assertThat(lastOf(listedAndSold(firstSales, "600.00", "610.00", "600.00")))
                .as("the third sale at a new price, two before it").singleElement()
                .satisfies(finding -> assertThat(finding.alarm()).isTrue());
    }

    @Test
    void aNewPriceTheCatalogHasNotCaughtUpWithIsFlaggedOnItsFirstSalesOnly() {
        String sku = "REPRICED-" + UUID.randomUUID();
        String[] prices = new String[20];
        Arrays.fill(prices, "1000.00");
        Arrays.fill(prices, 16, 20, "620.00");

        assertThat(lastOf(listedAndSold(sku, prices))).as("three sales at it before: the catalog is behind")
                .singleElement().satisfies(finding -> {
                    assertThat(finding.alarm()).isFalse();
                    assertThat(finding.evidence()).containsEntry("otherCustomersAtThisPrice", 3L);
                });
    }

    @Test
    void earlierSalesInTheSameBatchCountEvenBeforeThePriceDetectorHasStoredThem() {
        String sku = "BATCH-" + UUID.randomUUID();
        List<TransactionEvent> sales = listedAndSold(sku, "620.00", "620.00", "620.00", "620.00");

        List<Finding> findings = heedingRecentSales.detect(sales).await().atMost(Duration.ofSeconds(10));

        assertThat(findings).extracting(Finding::alarm).containsExactly(true, true, true, false);
    }

    @Test
    void aMarkupOfAProductAlwaysSoldAtOnePriceStaysAnAlarm() {
        String sku = "FIXED-" + UUID.randomUUID();
        String[] prices = new String[13];
        Arrays.fill(prices, "1000.00");
        prices[12] = "1218.00";

        assertThat(lastOf(listedAndSold(sku, prices))).singleElement()
                .satisfies(finding -> assertThat(finding.alarm()).as("22 % above the one price it sold at").isTrue());
    }

    @Test
    void oneBuyerRepeatingATamperedPriceStaysFlaggedOnEveryPurchase() {
        String sku = "TAMPERED-" + UUID.randomUUID();
        TestCatalog.add(sharedCatalog, new CatalogProduct(sku, "Gift card", "gifts", new BigDecimal("1000.00"), "INR"));
        List<TransactionEvent> purchases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            purchases.add(event().id(sku + "-" + i).customer("fraudster").at(START.plus(Duration.ofMinutes(i)))
                    .item(sku, "Gift card", 1, "100.00").build());
        }

        assertThat(lastOf(purchases)).singleElement().satisfies(finding -> assertThat(finding.alarm()).isTrue());
        assertThat(heedingRecentSales.detect(purchases).await().atMost(Duration.ofSeconds(10)))
                .extracting(Finding::alarm).containsOnly(true).hasSize(6);
    }
}
