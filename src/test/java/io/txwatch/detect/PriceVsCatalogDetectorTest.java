package io.txwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.catalog.TestCatalog;
import io.txwatch.event.TestEvents;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;

class PriceVsCatalogDetectorTest {

    private static final PriceVsCatalogDetector.Config DEFAULTS = new PriceVsCatalogDetector.Config() {
        public boolean enabled() { return true; }
        public double minRatio() { return 0.75; }
        public double maxRatio() { return 1.05; }
        public double moderateAbove() { return 0.10; }
        public double highAbove() { return 0.25; }
        public double criticalAbove() { return 0.50; }
    };

    private final CatalogCache catalog = TestCatalog.with(new SimpleMeterRegistry(),
            new CatalogProduct("LAPTOP", "Laptop", "electronics", new BigDecimal("50000.00"), "INR"),
            new CatalogProduct("HEADPHONES", "Headphones", "electronics", new BigDecimal("2000.00"), "INR"));
    private final PriceVsCatalogDetector detector = new PriceVsCatalogDetector(catalog, DEFAULTS);

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
}
