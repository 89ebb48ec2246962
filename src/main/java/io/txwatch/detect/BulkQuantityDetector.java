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
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Request;

/**
 * Flags a line ordering far more of one product than its orders usually hold: reselling, stock hoarding, a
 * quantity typo. Judged against the product's recent mean quantity per order, against its catalog category's usual
 * quantity where its own history is thin (weaker: never HIGH by that alone), and against an absolute cap that holds
 * even for a product with no history at all.
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

        /** Flag a quantity at least this multiple of the usual one... */
        @WithDefault("10")
        double minMultipleOfUsual();

        /** ...and at least this many units, so that 3 of a product usually bought once is no anomaly. */
        @WithDefault("10")
        int minQuantity();

        /** Above the cap, or at this multiple of the usual quantity, the anomaly is HIGH; MODERATE below. */
        @WithDefault("30")
        double highMultipleOfUsual();

        /**
         * Where a product has fewer than {@code population-confident-orders} orders, the usual quantity judged by is the
         * larger of its own mean and {@code (orders x own + w x category's) / (orders + w)}, w being this weight; the
         * category's usual quantity is the mean of its confident products' means. Below min-orders this is the only
         * judgement by history, and it raises MODERATE at most.
         */
        @WithDefault("10")
        double populationWeight();

        /** From this many orders a product's own mean decides alone, and informs its category's, once per batch. */
        @WithDefault("20")
        int populationConfidentOrders();

        /** The category's usual quantity is the mean over this many days of event time. */
        @WithDefault("7")
        int populationDays();
    }

    record Line(TransactionEvent event, LineItem item, String population) {
    }

    /** What a quantity is judged against: the product's own orders, and its category's usual quantity if known. */
    record Usual(RollingSample.Stats own, String category, OptionalDouble population) {
    }

    private final Config config;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;
    private final CatalogCache catalog;
    private final PopulationBaselines populationQuantities;

    public BulkQuantityDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store,
            CatalogCache catalog) {
        this.config = config;
        this.risk = risk;
        this.windows = windows;
        this.store = store;
        this.catalog = catalog;
        this.populationQuantities = new PopulationBaselines(windows, store, "usual-quantities", config.populationDays());
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
     * One pipeline for the batch: its categories' usual quantities over the last days (as they stood before it), then
     * every line's product sample; then the means of the products confident enough are added to their categories'.
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
                samples.add(RollingSample.add(windows, windows.productKey(item.sku(), "quantities"),
                        RollingSample.Extra.NONE, event.transactionId() + "#" + index, event.occurredAt(),
                        item.quantity().toString(), config.window(), config.baselineOrders(), List.of()));
            }
        }
        return populationQuantities.judge(lines, samples, PopulationBaselines.newestDay(batch), Line::population,
                (line, quantities, category) -> judge(line.event(), line.item(),
                        new Usual(quantities, line.population(), category)),
                (line, quantities) -> quantities.size() >= config.populationConfidentOrders()
                        ? Optional.of(new PopulationBaselines.Member(line.item().sku(), quantities.mean()))
                        : Optional.empty());
    }

    Optional<Finding> judge(TransactionEvent event, LineItem item, Usual usual) {
        int quantity = item.quantity();
        RollingSample.Stats own = usual.own();
        boolean aboveCap = quantity > config.absoluteCap();
        boolean ownHistory = own.size() >= config.minOrders() && own.mean() > 0;
        // below min-orders the category's usual quantity is all there is to go by; from then on it only widens
        boolean byCategory = !ownHistory && usual.population().isPresent();
        double usualQuantity = PopulationBaselines.standIn(own.mean(), own.size(),
                own.size() < config.populationConfidentOrders(), usual.population(), config.populationWeight());
        boolean knownHistory = (ownHistory || byCategory) && usualQuantity > 0;
        double multiple = knownHistory ? quantity / usualQuantity : 0;
        boolean aboveUsual = knownHistory && multiple >= config.minMultipleOfUsual() && quantity >= config.minQuantity();
        double strength = Math.max(knownHistory ? Strength.ofCount(quantity, usualQuantity) : 0,
                Strength.ofRule((double) quantity / config.absoluteCap()));
        boolean alarm = aboveCap || aboveUsual;
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        Severity severity = aboveCap || !byCategory && multiple >= config.highMultipleOfUsual()
                ? Severity.HIGH : Severity.MODERATE;
        List<String> reasons = new ArrayList<>();
        if (knownHistory && multiple > 1) {
            // worded by what the usual quantity is: the category's weighed in, or the product's own mean alone
            reasons.add(usualQuantity > own.mean()
                    ? String.format(Locale.ROOT, "%.0f times the usual %.1f per order among %s (it has %d orders "
                            + "of its own)", multiple, usualQuantity, PopulationBaselines.describeCategory(usual.category()),
                            own.size())
                    : String.format(Locale.ROOT, "%.0f times its usual %.1f per order (mean of its last %d orders)",
                            multiple, usualQuantity, own.size()));
        }
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
        evidence.put("usualQuantity", knownHistory ? usualQuantity : null);
        evidence.put("baselineOrders", own.size());
        evidence.put("ownMeanQuantity", ownHistory ? own.mean() : null);
        usual.population().ifPresent(population -> evidence.put("categoryUsualQuantity", population));
        evidence.put("multipleOfUsual", knownHistory ? multiple : null);
        evidence.put("minMultipleOfUsual", config.minMultipleOfUsual());
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
}
