package io.txwatch.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Request;

/**
 * Flags a line ordering far more of one product than its orders usually hold: reselling, stock hoarding, a
 * quantity typo. Judged against the product's latest orders in two ways that must agree: a multiple of their mean
 * quantity (which counts an occasional multipack), and a distance above their median, on a log scale, in robust
 * spreads from their quartiles, so that a product sold both singly and by the case is judged loosely and one always
 * bought singly tightly, and one earlier bulk order drags neither. Where the product's history is thin its catalog
 * category's usual quantity and spread stand in (weaker: never HIGH by that alone); an absolute cap holds even for a
 * product with no history at all.
 */
@ApplicationScoped
public class BulkQuantityDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.bulk-quantity")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Flag any quantity above this, whatever the product's history. */
        @WithDefault("50")
        int absoluteCap();

        /** How far back the product's orders may reach to form its usual quantity: generous, for slow sellers. */
        @WithDefault("P90D")
        Duration window();

        /** The usual quantity is the mean of at most this many latest orders. */
        @WithDefault("100")
        int baselineOrders();

        /** No judgement by history until it holds this many orders. */
        @WithDefault("10")
        int minOrders();

        /** Flag a quantity at least this multiple of the usual one (the mean of the product's latest orders)... */
        @WithDefault("10")
        double minMultipleOfUsual();

        /**
         * ...and at least this many robust spreads above the median of its latest orders, on a log scale (the spread
         * is the interquartile range of the log quantities over 1.349, the standard deviation of a normal with that
         * range): a product ordered in widely varying quantities is judged against that variation.
         */
        @WithDefault("3")
        double robustZ();

        /**
         * The least spread assumed, on a log scale: a product always bought singly has none, and counts vary by chance
         * (at 0.5 and robust-z 3, 4.5 times the median is the least distance that counts).
         */
        @WithDefault("0.5")
        double minSpread();

        /** ...and at least this many units, so that 3 of a product usually bought once is no anomaly. */
        @WithDefault("10")
        int minQuantity();

        /** Above the cap, or at this multiple of the usual quantity, the anomaly is HIGH; MODERATE below. */
        @WithDefault("30")
        double highMultipleOfUsual();

        /**
         * Where a product has fewer than {@code population-confident-orders} orders, the usual quantity, median and
         * spread judged by are each the larger of its own and {@code (orders x own + w x category's) / (orders + w)}, w
         * being this weight; the category's are the means of its confident products' means and spreads (its usual
         * quantity standing in for the median). Below min-orders a product is judged only where its category is known,
         * and raises MODERATE at most.
         */
        @WithDefault("10")
        double populationWeight();

        /** From this many orders a product's own mean and spread decide alone, and inform its category's, once per batch. */
        @WithDefault("20")
        int populationConfidentOrders();

        /** The category's usual quantity is the mean over this many days of event time. */
        @WithDefault("7")
        int populationDays();
    }

    record Line(TransactionEvent event, LineItem item, String population) {
    }

    /**
     * What a quantity is judged against: the product's own orders, and its category's usual quantity and spread if
     * known.
     */
    record Usual(RollingSample.Stats own, String category, OptionalDouble categoryQuantity, OptionalDouble categorySpread) {
    }

    private static final String RANKED_QUANTITIES = "ranked-quantities";

    /** The figures a product gives its category: its mean quantity and its spread. */
    private static final int USUAL_QUANTITY = 0;
    private static final int SPREAD = 1;

    private final Config config;
    private final DetectorMetrics metrics;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;
    private final CatalogCache catalog;
    private final PopulationBaselines populationQuantities;

    public BulkQuantityDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store,
            CatalogCache catalog, DetectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        metrics.expectThinBaselines(type().name());
        this.risk = risk;
        this.windows = windows;
        this.store = store;
        this.catalog = catalog;
        // named apart from the plain sample and one-figure days kept before quantities were ranked, which these would
        // misread (no value-ranked set beside the sample, no spread in the days)
        this.populationQuantities = new PopulationBaselines(windows, store, "quantity-baselines", config.populationDays(), 2);
        if (config.populationConfidentOrders() < config.minOrders()) {
            throw new IllegalArgumentException("txwatch.detectors.bulk-quantity.population-confident-orders ("
                    + config.populationConfidentOrders() + ") must be at least min-orders (" + config.minOrders() + ")");
        }
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.BULK_QUANTITY;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    /**
     * One pipeline for the batch: its categories' usual quantities and spreads over the last days (as they stood before
     * it), then every line's product sample; then the means and spreads of the products confident enough are added to
     * their categories'.
     */
    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        List<Line> lines = new ArrayList<>();
        List<Request> samples = new ArrayList<>();
        for (TransactionEvent event : batch) {
            for (int index = 0; index < event.items().size(); index++) {
                LineItem item = event.items().get(index);
                Line line = new Line(event, item, PopulationBaselines.categoryOf(catalog.find(item.sku())));
                lines.add(line);
                samples.add(RollingSample.add(windows, windows.productKey(item.sku(), RANKED_QUANTITIES),
                        RollingSample.Extra.MEDIAN, event.transactionId() + "#" + index, event.occurredAt(),
                        item.quantity().toString(), config.window(), config.baselineOrders(), List.of()));
            }
        }
        return populationQuantities.judge(lines, samples, PopulationBaselines.newestDay(batch), Line::population,
                (line, quantities, category) -> judge(line.event(), line.item(), new Usual(quantities,
                        line.population(), category.mean(USUAL_QUANTITY), category.mean(SPREAD))),
                (line, quantities) -> quantities.size() >= config.populationConfidentOrders() && quantities.lowerQuartile() > 0
                        ? Optional.of(new PopulationBaselines.Member(line.item().sku(), quantities.mean(),
                                quantities.logSpread(0)))
                        : Optional.empty());
    }

    /**
     * How far a quantity stands above the usual one.
     *
     * @param usualQuantity the mean judged by
     * @param multiple the quantity over the usual one
     * @param median the median judged by
     * @param spread on a log scale
     * @param robustZ the distance above the median on a log scale in spreads
     */
    record Distance(double usualQuantity, double multiple, double median, double spread, double robustZ) {
    }

    /**
     * Where the product's own orders or its category's give a usual quantity to judge by: the product's own mean,
     * median and spread, each with its category's standing in where its history is thin (the category's usual
     * quantity for both the mean and the median). Below min-orders only a known category makes a judgement: from
     * there on the category only widens what the product's own orders show.
     */
    private Optional<Distance> distance(int quantity, Usual usual, boolean ownHistory) {
        RollingSample.Stats own = usual.own();
        if (!ownHistory && usual.categoryQuantity().isEmpty()) {
            return Optional.empty();
        }
        boolean thin = own.size() < config.populationConfidentOrders();
        double usualQuantity = PopulationBaselines.standIn(own.mean(), own.size(), thin, usual.categoryQuantity(),
                config.populationWeight());
        double median = PopulationBaselines.standIn(own.median(), own.size(), thin, usual.categoryQuantity(),
                config.populationWeight());
        double ownSpread = own.lowerQuartile() > 0 ? own.logSpread(config.minSpread()) : config.minSpread();
        double spread = PopulationBaselines.standIn(ownSpread, own.size(), thin, usual.categorySpread(),
                config.populationWeight());
        if (usualQuantity <= 0 || median <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Distance(usualQuantity, quantity / usualQuantity, median, spread,
                Math.log(quantity / median) / spread));
    }

    Optional<Finding> judge(TransactionEvent event, LineItem item, Usual usual) {
        int quantity = item.quantity();
        RollingSample.Stats own = usual.own();
        boolean aboveCap = quantity > config.absoluteCap();
        boolean ownHistory = own.size() >= config.minOrders() && own.lowerQuartile() > 0;
        if (!ownHistory) {
            metrics.thinBaseline(type().name());
        }
        Optional<Distance> distance = distance(quantity, usual, ownHistory);
        boolean byCategory = !ownHistory && distance.isPresent();
        double multiple = distance.map(Distance::multiple).orElse(0.0);
        double robustZ = distance.map(Distance::robustZ).orElse(0.0);
        boolean aboveUsual = distance.isPresent() && multiple >= config.minMultipleOfUsual()
                && robustZ >= config.robustZ() && quantity >= config.minQuantity();
        // the lesser of two surprises: in spreads from the median (the variation the orders show) and by a Poisson law
        // around the mean (count noise alone, which makes 3 of a product usually bought singly no surprise)
        double historyStrength = distance.map(usualDistance -> Math.min(Strength.ofZ(usualDistance.robustZ()),
                Strength.ofCount(quantity, usualDistance.usualQuantity()))).orElse(0.0);
        double strength = Math.max(historyStrength, Strength.ofRule((double) quantity / config.absoluteCap()));
        boolean alarm = aboveCap || aboveUsual;
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        Severity severity = aboveCap || !byCategory && multiple >= config.highMultipleOfUsual()
                ? Severity.HIGH : Severity.MODERATE;
        List<String> reasons = new ArrayList<>();
        distance.filter(usualDistance -> usualDistance.multiple() > 1).ifPresent(usualDistance -> reasons.add(
                // worded by what the usual quantity is: the category's weighed in, or the product's own orders alone
                usualDistance.usualQuantity() > own.mean()
                        ? String.format(Locale.ROOT, "%.0f times the usual %.1f per order among %s (it has %d orders "
                                + "of its own)", multiple, usualDistance.usualQuantity(),
                                PopulationBaselines.describeCategory(usual.category()), own.size())
                        : String.format(Locale.ROOT, "%.0f times its usual %.1f per order (mean of its last %d orders, "
                                + "half of which held %s)", multiple, usualDistance.usualQuantity(), own.size(),
                                unitsBetween(own.lowerQuartile(), own.upperQuartile()))));
        if (aboveCap) {
            reasons.add("above the cap of " + config.absoluteCap() + " per order");
        }
        if (reasons.isEmpty()) {
            reasons.add("close to the cap of " + config.absoluteCap() + " per order");
        }
        String product = item.name() != null ? item.name() + " (sku " + item.sku() + ")" : "sku " + item.sku();
        String observation = String.format("Transaction %s: %s ordered %d × %s, %s", event.transactionId(),
                event.customerReference(), quantity, product, String.join(", and ", reasons));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("quantity", quantity);
        evidence.put("usualQuantity", distance.map(Distance::usualQuantity).orElse(null));
        evidence.put("baselineOrders", own.size());
        evidence.put("ownMeanQuantity", ownHistory ? own.mean() : null);
        evidence.put("medianQuantity", distance.map(Distance::median).orElse(null));
        evidence.put("lowerQuartileQuantity", ownHistory ? own.lowerQuartile() : null);
        evidence.put("upperQuartileQuantity", ownHistory ? own.upperQuartile() : null);
        evidence.put("logSpread", distance.map(Distance::spread).orElse(null));
        usual.categoryQuantity().ifPresent(population -> evidence.put("categoryUsualQuantity", population));
        usual.categorySpread().ifPresent(population -> evidence.put("categoryLogSpread", population));
        evidence.put("multipleOfUsual", distance.isPresent() ? multiple : null);
        evidence.put("minMultipleOfUsual", config.minMultipleOfUsual());
        evidence.put("robustZ", distance.isPresent() ? robustZ : null);
        evidence.put("robustZThreshold", config.robustZ());
        evidence.put("absoluteCap", config.absoluteCap());
        String subject = event.transactionId() + ":" + item.sku();
        if (!alarm) {
            return Optional.of(Finding.evidenceOnly(type(), subject, strength, event.occurredAt(), event.transactionId(),
                    event.customer().id(), item.sku(), observation + ".", evidence));
        }
        String explanation = observation + " — reselling, hoarding or a quantity typo. " + severity + ".";
        double score = Math.max((double) quantity / config.absoluteCap(), multiple / config.minMultipleOfUsual());
        return Optional.of(new Finding(type(), subject, severity, score, strength, event.occurredAt(),
                event.transactionId(), event.customer().id(), item.sku(), explanation, evidence));
    }

    /** "1 unit", "2 units", "1 to 3 units": how many units half of a product's orders held (quartiles rounded). */
    private static String unitsBetween(double lowerQuartile, double upperQuartile) {
        long lower = Math.round(lowerQuartile);
        long upper = Math.round(upperQuartile);
        if (lower == upper) {
            return lower == 1 ? "1 unit" : lower + " units";
        }
        return lower + " to " + upper + " units";
    }
}
