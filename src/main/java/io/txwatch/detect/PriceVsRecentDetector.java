package io.txwatch.detect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
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
import io.txwatch.metrics.DetectorMetrics;
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

        /**
         * Where a product's own history is thin (fewer than {@code population-confident-sales} sales), the spread of
         * its population stands in, weaker: the spread judged by is the larger of the product's own and
         * {@code (sales x own + w x population's) / (sales + w)}, w being this weight, so that ten sales that
         * happened to agree do not make a widely priced kind of product look fixed-price. The population is the
         * product's catalog category, or all products missing from the catalog (a marketplace's).
         */
        @WithDefault("20")
        double populationWeight();

        /**
         * From this many sales a product's own spread decides alone, and informs its population's: once per batch it
         * sells in, so a product counts the more the more often it sells.
         */
        @WithDefault("30")
        int populationConfidentSales();

        /** The population's spread is the mean over this many days of event time of its confident products' spreads. */
        @WithDefault("7")
        int populationDays();
    }

    /**
     * @param population the product's catalog category, or all products missing from the catalog
     * @param againstBand where the line stands against its catalog band, if the band is judged at all
     */
    record Line(TransactionEvent event, LineItem item, String population, PriceVsCatalogDetector.AgainstBand againstBand) {
    }

    /** The one figure a product gives its population: its spread. */
    private static final int SPREAD = 0;

    /** Ends the customer in a sample id: a control character, which ids do not hold. */
    private static final char CUSTOMER_END = '\u001e';

    private final Config config;
    private final DetectorMetrics metrics;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;
    private final CatalogCache catalog;
    private final PriceVsCatalogDetector.Config catalogBand;
    private final PopulationBaselines populationBaselines;

    public PriceVsRecentDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store,
            CatalogCache catalog, PriceVsCatalogDetector.Config catalogBand, DetectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        metrics.expectThinBaselines(type().name());
        this.risk = risk;
        this.windows = windows;
        this.store = store;
        this.catalog = catalog;
        this.catalogBand = catalogBand;
        this.populationBaselines = new PopulationBaselines(windows, store, "price-spreads", config.populationDays(), 1);
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

    /**
     * One pipeline for the batch: its populations' spreads over the last days (as they stood before it), then every
     * line's product sample; then the spreads of the products confident enough are added to their populations'.
     */
    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        List<Line> lines = new ArrayList<>();
        List<Request> samples = new ArrayList<>();
        for (TransactionEvent event : batch) {
            for (int index = 0; index < event.items().size(); index++) {
                LineItem item = event.items().get(index);
                Optional<CatalogProduct> product = catalog.find(item.sku());
                Line line = new Line(event, item, PopulationBaselines.categoryOf(product), product.filter(listed -> catalogBand.enabled())
                        .map(listed -> PriceVsCatalogDetector.againstBand(catalogBand, event, item, listed))
                        .orElse(PriceVsCatalogDetector.AgainstBand.NOT_COMPARABLE));
                lines.add(line);
                samples.add(RollingSample.add(windows, pricesKey(item.sku(), event.currency()), RollingSample.Extra.MEDIAN,
                        sampleId(event, index), event.occurredAt(), item.unitPrice().toPlainString(), config.window(),
                        config.baselineSales(), List.of()));
            }
        }
        return populationBaselines.judge(lines, samples, PopulationBaselines.newestDay(batch), Line::population,
                (line, prices, population) -> line.againstBand() == PriceVsCatalogDetector.AgainstBand.OUTSIDE
                        // a line outside the band is the catalog detector's; one within it has the catalog on its side
                        ? Optional.empty()
                        : judge(line.event(), line.item(), prices, population.mean(SPREAD),
                                line.againstBand() == PriceVsCatalogDetector.AgainstBand.WITHIN),
                (line, prices) -> prices.size() >= config.populationConfidentSales() && prices.lowerQuartile() > 0
                        ? Optional.of(new PopulationBaselines.Member(line.item().sku() + "|" + line.event().currency(),
                                prices.logSpread(0)))
                        : Optional.empty());
    }

    private String pricesKey(String sku, String currency) {
        return windows.productKey(sku, "prices:" + currency);
    }

    /** The id of an event's line among its product's recent prices: whose purchase it was, and which line. */
    static String sampleId(TransactionEvent event, int lineIndex) {
        return event.customer().id() + CUSTOMER_END + event.transactionId() + "#" + lineIndex;
    }

    /** The customer a sample id names; an id written before ids named one stands for a customer of its own. */
    static String customerOf(String sampleId) {
        int end = sampleId.indexOf(CUSTOMER_END);
        return end < 0 ? sampleId : sampleId.substring(0, end);
    }

    /**
     * A look at the prices a line's product sold at lately (its newest samples, whatever their event time), leaving
     * them as they are; the lines of a batch this detector is scoring at the same time may or may not be among them,
     * so as many more as the batch has of the product are read.
     */
    Request recentPrices(TransactionEvent event, LineItem item, int linesInBatch) {
        return RollingSample.newest(pricesKey(item.sku(), event.currency()), config.baselineSales() + linesInBatch);
    }

    /** How many of a product's latest prices judge a line. */
    int baselineSales() {
        return config.baselineSales();
    }

    /** How far the price is from the recent ones; empty when they are too few to judge by. */
    Optional<Distance> distance(RollingSample.Stats prices, BigDecimal unitPrice) {
        return distance(prices, unitPrice, OptionalDouble.empty());
    }

    /** ...with the population's spread standing in, weaker, where the product's own history is thin. */
    Optional<Distance> distance(RollingSample.Stats prices, BigDecimal unitPrice, OptionalDouble populationSpread) {
        if (prices.size() < config.minSales() || prices.lowerQuartile() <= 0 || unitPrice.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal median = BigDecimal.valueOf(prices.median());
        double ratio = unitPrice.divide(median, MathContext.DECIMAL64).doubleValue();
        double logDistance = Math.abs(Math.log(ratio));
        double own = prices.logSpread(config.minSpread());
        double spread = PopulationBaselines.standIn(own, prices.size(), prices.size() < config.populationConfidentSales(),
                populationSpread, config.populationWeight());
        double robustZ = logDistance / spread;
        return Optional.of(new Distance(median, ratio, logDistance, spread, robustZ,
                robustZ >= config.robustZ() && logDistance >= Math.log(config.minFactor())));
    }

    /**
     * @param atCatalogPrice whether the price is in line with the catalog's list price: then it is evidence, never an
     *        alarm, since the recent sales were the odd ones (a pricing error just mended, a long promotion ended)
     */
    Optional<Finding> judge(TransactionEvent event, LineItem item, RollingSample.Stats prices,
            OptionalDouble populationSpread, boolean atCatalogPrice) {
        Optional<Distance> distance = distance(prices, item.unitPrice(), populationSpread);
        if (distance.isEmpty()) {
            if (prices.size() < config.minSales()) {
                metrics.thinBaseline(type().name());
            }
            return Optional.empty();
        }
        BigDecimal median = distance.get().median();
        double ratio = distance.get().ratio();
        double logDistance = distance.get().logDistance();
        double spread = distance.get().spread();
        double robustZ = distance.get().robustZ();
        double strength = Strength.ofZ(robustZ);
        boolean alarm = distance.get().alarm() && !atCatalogPrice;
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
        evidence.put("ownLogSpread", prices.logSpread(config.minSpread()));
        if (prices.size() < config.populationConfidentSales()) {
            populationSpread.ifPresent(population -> evidence.put("populationLogSpread", population));
        }
        evidence.put("robustZ", robustZ);
        evidence.put("robustZThreshold", config.robustZ());
        evidence.put("inCatalog", catalog.find(item.sku()).isPresent());
        evidence.put("atCatalogPrice", atCatalogPrice);
        String subject = event.transactionId() + ":" + item.sku();
        if (!alarm) {
            String noted = atCatalogPrice ? observation + " It sells within the catalog's band around its list price, so "
                    + "the recent sales were the odd ones." : observation;
            return Optional.of(Finding.evidenceOnly(type(), subject, strength, event.occurredAt(), event.transactionId(),
                    event.customer().id(), item.sku(), noted, evidence));
        }
        String explanation = String.format("%s %s: %s.", observation, severity, discount ? "revenue loss" : "customer overcharged");
        return Optional.of(new Finding(type(), subject, severity, robustZ / config.robustZ(), strength,
                event.occurredAt(), event.transactionId(), event.customer().id(), item.sku(), explanation, evidence));
    }
}
