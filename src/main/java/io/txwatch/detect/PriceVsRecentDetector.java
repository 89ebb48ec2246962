package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.catalog.CatalogCache;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Request;

/**
 * Flags a line sold far from the product's recent prices, judged against how much those prices usually vary: the
 * distance from the median of its latest sales, on a log scale, measured in robust spreads (from the quartiles),
 * neither of which one mispriced sale can drag along. A fixed-price product is judged tightly, one sold by many
 * sellers at many prices loosely. It covers what the catalog cannot: products missing from it, and catalog prices gone
 * stale. A line outside the catalog's allowed band is left to {@link PriceVsCatalogDetector}, so one price error is one
 * anomaly; that detector asks these recent prices whether the catalog is the odd one out.
 */
@ApplicationScoped
public class PriceVsRecentDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.price-vs-recent")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** How far back the product's sales may reach to form its baseline: generous, so slow sellers get one. */
        @WithDefault("P90D")
        Duration window();

        /** The baseline is at most this many latest sales in the window. */
        @WithDefault("50")
        int baselineSales();

        /** No judgement until the baseline holds this many sales: the quartiles of fewer are too unsteady a spread. */
        @WithDefault("10")
        int minSales();

        /**
         * Flag a unit price whose distance from the median, on a log scale, is at least this many robust spreads
         * (the spread is the interquartile range of the log prices over 1.349, the standard deviation of a normal
         * with that range): a product whose price varies widely is judged against that variation.
         */
        @WithDefault("4")
        double robustZ();

        /**
         * The least spread assumed, on a log scale: a product sold at one fixed price has none, and would
         * otherwise be flagged for a small change of price.
         */
        @WithDefault("0.10")
        double minSpread();

        /** ...and only a price at least this factor above or below the median (1.5: 50 % above, a third below). */
        @WithDefault("1.5")
        double minFactor();

        /** At this factor or more from the median the anomaly is CRITICAL; HIGH below. */
        @WithDefault("4")
        double criticalFactor();
    }

    record Line(TransactionEvent event, LineItem item) {
    }

    private final Config config;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;
    private final CatalogCache catalog;
    private final PriceVsCatalogDetector.Config catalogBand;

    public PriceVsRecentDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store,
            CatalogCache catalog, PriceVsCatalogDetector.Config catalogBand) {
        this.config = config;
        this.risk = risk;
        this.windows = windows;
        this.store = store;
        this.catalog = catalog;
        this.catalogBand = catalogBand;
    }

    /**
     * How far a unit price is from a product's recent prices.
     *
     * @param robustZ the distance on a log scale in robust spreads
     * @param alarm whether it is past both thresholds, the robust z-score and the least factor
     */
    record Distance(BigDecimal median, double ratio, double logDistance, double spread, double robustZ, boolean alarm) {
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.PRICE_VS_RECENT;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        WindowProbes<Line> probes = new WindowProbes<>();
        for (TransactionEvent event : batch) {
            for (int index = 0; index < event.items().size(); index++) {
                LineItem item = event.items().get(index);
                probes.add(new Line(event, item), RollingSample.add(windows,
                        pricesKey(item.sku(), event.currency()), RollingSample.Extra.MEDIAN,
                        sampleId(event, index), event.occurredAt(), item.unitPrice().toPlainString(),
                        config.window(), config.baselineSales(), List.of()));
            }
        }
        return probes.judge(store, (line, response) -> flaggedByCatalog(line) ? Optional.empty()
                : judge(line.event(), line.item(), RollingSample.read(response)));
    }

    private boolean flaggedByCatalog(Line line) {
        return catalogBand.enabled() && catalog.find(line.item().sku())
                .filter(product -> PriceVsCatalogDetector.outsideListPrice(catalogBand, line.event(), line.item(), product))
                .isPresent();
    }

    private String pricesKey(String sku, String currency) {
        return windows.productKey(sku, "prices:" + currency);
    }

    /** The id of an event's line among its product's recent prices. */
    static String sampleId(TransactionEvent event, int lineIndex) {
        return event.transactionId() + "#" + lineIndex;
    }

    /**
     * A look at the prices a line's product sold at lately (its newest samples, whatever their event time), leaving
     * them as they are; the lines of a batch this detector is scoring at the same time may or may not be among them.
     */
    Request recentPrices(TransactionEvent event, LineItem item) {
        return RollingSample.newest(pricesKey(item.sku(), event.currency()), config.baselineSales());
    }

    /** How many recent prices {@link #recentPrices} reads at most. */
    int baselineSales() {
        return config.baselineSales();
    }

    /** How far the price is from the recent ones; empty when they are too few to judge by. */
    Optional<Distance> distance(RollingSample.Stats prices, BigDecimal unitPrice) {
        if (prices.size() < config.minSales() || prices.lowerQuartile() <= 0 || unitPrice.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal median = BigDecimal.valueOf(prices.median());
        double ratio = unitPrice.divide(median, MathContext.DECIMAL64).doubleValue();
        double logDistance = Math.abs(Math.log(ratio));
        double spread = prices.logSpread(config.minSpread());
        double robustZ = logDistance / spread;
        return Optional.of(new Distance(median, ratio, logDistance, spread, robustZ,
                robustZ >= config.robustZ() && logDistance >= Math.log(config.minFactor())));
    }

    Optional<Finding> judge(TransactionEvent event, LineItem item, RollingSample.Stats prices) {
        Optional<Distance> distance = distance(prices, item.unitPrice());
        if (distance.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal median = distance.get().median();
        double ratio = distance.get().ratio();
        double logDistance = distance.get().logDistance();
        double spread = distance.get().spread();
        double robustZ = distance.get().robustZ();
        double strength = Strength.ofZ(robustZ);
        boolean alarm = distance.get().alarm();
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        boolean discount = ratio < 1;
        double deviation = Math.abs(ratio - 1);
        Severity severity = logDistance >= Math.log(config.criticalFactor()) ? Severity.CRITICAL : Severity.HIGH;
        String product = item.name() != null ? item.name() + " (sku " + item.sku() + ")" : "sku " + item.sku();
        String observation = String.format("Transaction %s: %s bought %s for %s, %s %s its median price of %s over its "
                + "last %d sales, half of which sold between %s and %s.",
                event.transactionId(), event.customerReference(), product,
                MoneyFormat.format(item.unitPrice(), event.currency()), MoneyFormat.percent(deviation),
                discount ? "below" : "above", MoneyFormat.format(median, event.currency()), prices.size(),
                MoneyFormat.format(BigDecimal.valueOf(prices.lowerQuartile()), event.currency()),
                MoneyFormat.format(BigDecimal.valueOf(prices.upperQuartile()), event.currency()));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("unitPrice", item.unitPrice());
        evidence.put("medianPrice", median);
        evidence.put("lowerQuartilePrice", prices.lowerQuartile());
        evidence.put("upperQuartilePrice", prices.upperQuartile());
        evidence.put("baselineSales", prices.size());
        evidence.put("currency", event.currency());
        evidence.put("quantity", item.quantity());
        evidence.put("deviation", deviation);
        evidence.put("direction", discount ? "discount" : "markup");
        evidence.put("logSpread", spread);
        evidence.put("robustZ", robustZ);
        evidence.put("robustZThreshold", config.robustZ());
        evidence.put("inCatalog", catalog.find(item.sku()).isPresent());
        String subject = event.transactionId() + ":" + item.sku();
        if (!alarm) {
            return Optional.of(Finding.evidenceOnly(type(), subject, strength, event.occurredAt(), event.transactionId(),
                    event.customer().id(), item.sku(), observation, evidence));
        }
        String explanation = String.format("%s %s: %s.", observation, severity, discount ? "revenue loss" : "customer overcharged");
        return Optional.of(new Finding(type(), subject, severity, robustZ / config.robustZ(), strength,
                event.occurredAt(), event.transactionId(), event.customer().id(), item.sku(), explanation, evidence));
    }
}
