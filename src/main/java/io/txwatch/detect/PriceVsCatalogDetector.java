package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.catalog.CatalogProduct;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.LineItem;

/**
 * Flags a line sold far from its catalog list price: a discount means revenue lost (a pricing error or a
 * tampered cart), a markup means a customer overcharged. Reads the in-memory catalog, so it costs no I/O.
 */
@ApplicationScoped
public class PriceVsCatalogDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.price-vs-catalog")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** A unit price below this share of the list price is flagged. */
        @WithDefault("0.75")
        double minRatio();

        /** A unit price above this share of the list price is flagged. */
        @WithDefault("1.05")
        double maxRatio();

        /** Deviations from list (as a share of it) above which severity rises to MODERATE, HIGH, CRITICAL. */
        @WithDefault("0.10")
        double moderateAbove();

        @WithDefault("0.25")
        double highAbove();

        @WithDefault("0.50")
        double criticalAbove();
    }

    private final CatalogCache catalog;
    private final Config config;

    public PriceVsCatalogDetector(CatalogCache catalog, Config config) {
        this.catalog = catalog;
        this.config = config;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.PRICE_VS_CATALOG;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public boolean keepsWindows() {
        return false;
    }

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        List<Finding> findings = new ArrayList<>();
        for (TransactionEvent event : batch) {
            for (LineItem item : event.items()) {
                catalog.find(item.sku())
                        .flatMap(product -> judge(event, item, product))
                        .ifPresent(findings::add);
            }
        }
        return Uni.createFrom().item(findings);
    }

    /** Whether this detector flags the line: its price is outside the allowed ratios to a comparable list price. */
    boolean outsideListPrice(TransactionEvent event, LineItem item, CatalogProduct product) {
        OptionalDouble ratio = ratioToList(event, item, product);
        return ratio.isPresent() && (ratio.getAsDouble() < config.minRatio() || ratio.getAsDouble() > config.maxRatio());
    }

    Optional<Finding> judge(TransactionEvent event, LineItem item, CatalogProduct product) {
        if (!outsideListPrice(event, item, product)) {
            return Optional.empty();
        }
        double ratio = ratioToList(event, item, product).getAsDouble();
        double deviation = Math.abs(1 - ratio);
        boolean discount = ratio < 1;
        Severity severity = severity(deviation);
        String productName = item.name() != null ? item.name() : product.name();
        String explanation = String.format("Transaction %s: %s bought %s for %s against a list price of %s — a %s %s. %s: %s.",
                event.transactionId(), event.customerReference(), productName,
                MoneyFormat.format(item.unitPrice(), event.currency()),
                MoneyFormat.format(product.listPrice(), product.currency()),
                MoneyFormat.percent(deviation), discount ? "discount" : "markup", severity,
                discount ? "revenue loss" : "customer overcharged");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("unitPrice", item.unitPrice());
        evidence.put("listPrice", product.listPrice());
        evidence.put("currency", event.currency());
        evidence.put("quantity", item.quantity());
        evidence.put("ratioToList", ratio);
        evidence.put("deviation", deviation);
        evidence.put("direction", discount ? "discount" : "markup");
        evidence.put("revenueImpact", item.unitPrice().subtract(product.listPrice()).multiply(BigDecimal.valueOf(item.quantity())));
        evidence.put("allowedRatio", List.of(config.minRatio(), config.maxRatio()));
        return Optional.of(new Finding(type(), event.transactionId() + ":" + item.sku(), severity, deviation,
                strength(ratio), event.occurredAt(), event.transactionId(), event.customer().id(), item.sku(), explanation, evidence));
    }

    /** A price at the allowed ratio is at the rule's threshold; the distance is measured on a log scale. */
    private double strength(double ratio) {
        double bound = ratio < 1 ? config.minRatio() : config.maxRatio();
        return ratio <= 0 ? 1 : Strength.ofRule(Math.log(ratio) / Math.log(bound));
    }

    /** Empty when the list price cannot judge the line: another currency, or no price. */
    private static OptionalDouble ratioToList(TransactionEvent event, LineItem item, CatalogProduct product) {
        if (!product.currency().equals(event.currency()) || product.listPrice().signum() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(item.unitPrice().divide(product.listPrice(), MathContext.DECIMAL64).doubleValue());
    }

    private Severity severity(double deviation) {
        if (deviation > config.criticalAbove()) {
            return Severity.CRITICAL;
        }
        if (deviation > config.highAbove()) {
            return Severity.HIGH;
        }
        if (deviation > config.moderateAbove()) {
            return Severity.MODERATE;
        }
        return Severity.LOW;
    }
}
