package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

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
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Request;

/**
 * Flags a line sold far from its catalog list price: a discount means revenue lost (a pricing error or a
 * tampered cart), a markup means a customer overcharged. Reads the in-memory catalog, so most lines cost no I/O. The
 * band around the list price does not decide alone: a line outside it is asked against the product's latest sales
 * ({@link PriceVsRecentDetector}'s sample, read without adding to it), and where this price is typical of them, or
 * several of them sold at it, the list price is the odd one out (out of date, or a promotion the catalog does not
 * carry): the line is evidence, not an alarm.
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

        /**
         * A line outside the band whose price is in line with the product's latest sales is evidence, not an alarm:
         * as many of them as {@code price-vs-recent} judges by ({@code min-sales}) with this price within their
         * interquartile range (widened by {@code same-price-tolerance}), so that a product always sold at one price
         * keeps every other price an alarm, or {@code same-price-sales} other customers' at this price. Needs
         * {@code price-vs-recent} enabled, whose sample of recent prices this reads.
         */
        @WithDefault("true")
        boolean heedRecentSales();

        /**
         * How many other customers' recent purchases within {@code same-price-tolerance} of this price make it in
         * line: a new price the catalog has not caught up with is flagged on its first sales, not on every sale until
         * it is a quarter of the product's history, while one buyer repeating a tampered price stays flagged.
         */
        @WithDefault("3")
        int samePriceSales();

        /** How close to this price, as a share of it, a recent sale counts as sold at the same price, or a quartile as reached. */
        @WithDefault("0.05")
        double samePriceTolerance();
    }

    /** A line outside the band, with what the catalog makes of it. */
    private record OutsideBand(TransactionEvent event, int lineIndex, CatalogProduct product, Finding alarm) {

        LineItem item() {
            return event.items().get(lineIndex);
        }
    }

    private final CatalogCache catalog;
    private final Config config;
    private final PriceVsRecentDetector recentPrices;
    private final WindowStore store;

    public PriceVsCatalogDetector(CatalogCache catalog, Config config, PriceVsRecentDetector recentPrices, WindowStore store) {
        this.catalog = catalog;
        this.config = config;
        this.recentPrices = recentPrices;
        this.store = store;
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
        List<OutsideBand> outside = new ArrayList<>();
        for (TransactionEvent event : batch) {
            for (int index = 0; index < event.items().size(); index++) {
                LineItem item = event.items().get(index);
                int lineIndex = index;
                catalog.find(item.sku()).ifPresent(product -> judge(event, item, product)
                        .ifPresent(alarm -> outside.add(new OutsideBand(event, lineIndex, product, alarm))));
            }
        }
        if (outside.isEmpty() || !config.heedRecentSales() || !recentPrices.enabled()) {
            return Uni.createFrom().item(outside.stream().map(OutsideBand::alarm).toList());
        }
        Map<String, Integer> linesInBatch = new HashMap<>();
        batch.forEach(event -> event.items()
                .forEach(item -> linesInBatch.merge(item.sku() + "|" + event.currency(), 1, Integer::sum)));
        List<Request> reads = outside.stream().map(line -> recentPrices.recentPrices(line.event(), line.item(),
                linesInBatch.get(line.item().sku() + "|" + line.event().currency()))).toList();
        return store.pipeline(reads).map(responses -> {
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < outside.size(); i++) {
                OutsideBand line = outside.get(i);
                Map<String, Double> recentSales = otherRecentPrices(line, RollingSample.samplesOf(responses.get(i)), batch);
                RollingSample.Stats recent = RollingSample.Stats.ofValues(recentSales.values(), line.event().occurredAt());
                long samePrice = otherCustomersAtThisPrice(line, recentSales);
                boolean inLine = withinUsualRange(recent, line.item().unitPrice()) || samePrice >= config.samePriceSales();
                findings.add(inLine ? inLineWithRecentSales(line, recent, samePrice) : line.alarm());
            }
            return findings;
        });
    }

    /**
     * What the line's product sold at lately, before this line: the batch's earlier sales of it (in event time)
     * first, then the newest Redis holds from other batches, at most as many as the price detector judges by. Redis
     * may or may not hold this batch's sales yet (the price detector adds them side by side with this look), so they
     * are taken from the batch, and only the earlier ones: the first sales at a wrong price stay alarms however a
     * poll cuts them. Newer sales of other batches count: an old event delivered late (a backfill) is judged against
     * what the product sells at now, which is what the catalog should say.
     */
    private Map<String, Double> otherRecentPrices(OutsideBand line, Map<String, Double> stored, List<TransactionEvent> batch) {
        Map<String, Double> prices = new LinkedHashMap<>();
        Set<String> batchIds = new HashSet<>();
        for (int at = batch.size() - 1; at >= 0; at--) {
            TransactionEvent event = batch.get(at);
            if (!event.currency().equals(line.event().currency())) {
                continue;
            }
            boolean earlier = event.occurredAt().isBefore(line.event().occurredAt());
            for (int index = 0; index < event.items().size(); index++) {
                LineItem item = event.items().get(index);
                if (item.sku().equals(line.item().sku())) {
                    String id = PriceVsRecentDetector.sampleId(event, index);
                    batchIds.add(id);
                    if (earlier) {
                        prices.put(id, item.unitPrice().doubleValue());
                    }
                }
            }
        }
        stored.forEach((id, price) -> {
            if (!batchIds.contains(id)) {
                prices.putIfAbsent(id, price);
            }
        });
        Map<String, Double> newest = new LinkedHashMap<>();
        prices.entrySet().stream().limit(recentPrices.baselineSales()).forEach(sale -> newest.put(sale.getKey(), sale.getValue()));
        return newest;
    }

    /** Enough recent sales to judge by, and the price within the middle half of them. */
    private boolean withinUsualRange(RollingSample.Stats recent, BigDecimal unitPrice) {
        double price = unitPrice.doubleValue();
        return recentPrices.distance(recent, unitPrice).isPresent()
                && price >= recent.lowerQuartile() * (1 - config.samePriceTolerance())
                && price <= recent.upperQuartile() * (1 + config.samePriceTolerance());
    }

    /**
     * How many other customers bought the product at about this price lately: a new list price is paid by many, a
     * tampered price bought again and again by one buyer stays that buyer's.
     */
    private long otherCustomersAtThisPrice(OutsideBand line, Map<String, Double> recentSales) {
        double price = line.item().unitPrice().doubleValue();
        String buyer = line.event().customer().id();
        return recentSales.entrySet().stream()
                .filter(sale -> Math.abs(sale.getValue() - price) <= config.samePriceTolerance() * price)
                .map(sale -> PriceVsRecentDetector.customerOf(sale.getKey()))
                .filter(customer -> !customer.equals(buyer)).distinct().count();
    }

    /** Evidence only: the list price, not the line, looks wrong. */
    private Finding inLineWithRecentSales(OutsideBand line, RollingSample.Stats recent, long samePrice) {
        Finding alarm = line.alarm();
        TransactionEvent event = line.event();
        BigDecimal median = BigDecimal.valueOf(recent.median());
        String observation = String.format("Transaction %s: %s bought %s for %s against a list price of %s, in line with "
                + "its last %d sales (median %s; %d other customers within %s of this price): the list price looks out "
                + "of date, or a promotion runs that the catalog does not carry.", event.transactionId(), event.customerReference(),
                productName(line.item(), line.product()), MoneyFormat.format(line.item().unitPrice(), event.currency()),
                MoneyFormat.format(line.product().listPrice(), line.product().currency()), recent.size(),
                MoneyFormat.format(median, event.currency()), samePrice, MoneyFormat.percent(config.samePriceTolerance()));
        Map<String, Object> evidence = new LinkedHashMap<>(alarm.evidence());
        evidence.put("recentMedianPrice", median);
        evidence.put("recentSales", recent.size());
        evidence.put("otherCustomersAtThisPrice", samePrice);
        return Finding.evidenceOnly(type(), alarm.subject(), alarm.strength(), alarm.occurredAt(), alarm.transactionId(),
                alarm.customerId(), alarm.sku(), observation, evidence);
    }

    /** Where a line's price stands against the band around its product's list price. */
    enum AgainstBand {
        /** No comparable list price: another currency, or none. */
        NOT_COMPARABLE,
        WITHIN,
        OUTSIDE
    }

    /** Where a line's price stands against the allowed ratios to its list price (the band alone, before any look back). */
    static AgainstBand againstBand(Config config, TransactionEvent event, LineItem item, CatalogProduct product) {
        OptionalDouble ratio = ratioToList(event, item, product);
        if (ratio.isEmpty()) {
            return AgainstBand.NOT_COMPARABLE;
        }
        return ratio.getAsDouble() < config.minRatio() || ratio.getAsDouble() > config.maxRatio()
                ? AgainstBand.OUTSIDE : AgainstBand.WITHIN;
    }

    private static String productName(LineItem item, CatalogProduct product) {
        return item.name() != null ? item.name() : product.name();
    }

    /** The alarm the band alone gives the line, if any. */
    Optional<Finding> judge(TransactionEvent event, LineItem item, CatalogProduct product) {
        if (againstBand(config, event, item, product) != AgainstBand.OUTSIDE) {
            return Optional.empty();
        }
        double ratio = ratioToList(event, item, product).getAsDouble();
        double deviation = Math.abs(1 - ratio);
        boolean discount = ratio < 1;
        Severity severity = severity(deviation);
        String productName = productName(item, product);
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
