package io.txwatch.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags a line ordering far more of one product than its orders usually hold: reselling, stock hoarding, a
 * quantity typo. Judged against the product's recent mean quantity per order, and against an absolute cap that
 * holds even for a product with no history.
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
    }

    record Line(TransactionEvent event, LineItem item) {
    }

    private final Config config;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;

    public BulkQuantityDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store) {
        this.config = config;
        this.risk = risk;
        this.windows = windows;
        this.store = store;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.BULK_QUANTITY;
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
                probes.add(new Line(event, item), RollingSample.add(windows, windows.productKey(item.sku(), "quantities"),
                        RollingSample.Extra.NONE, event.transactionId() + "#" + index, event.occurredAt(),
                        item.quantity().toString(), config.window(), config.baselineOrders(), List.of()));
            }
        }
        return probes.judge(store, (line, response) -> judge(line.event(), line.item(), RollingSample.read(response)));
    }

    Optional<Finding> judge(TransactionEvent event, LineItem item, RollingSample.Stats usual) {
        int quantity = item.quantity();
        boolean aboveCap = quantity > config.absoluteCap();
        boolean knownHistory = usual.size() >= config.minOrders() && usual.mean() > 0;
        double multiple = knownHistory ? quantity / usual.mean() : 0;
        boolean aboveUsual = knownHistory && multiple >= config.minMultipleOfUsual() && quantity >= config.minQuantity();
        double strength = Math.max(knownHistory ? Strength.ofCount(quantity, usual.mean()) : 0,
                Strength.ofRule((double) quantity / config.absoluteCap()));
        boolean alarm = aboveCap || aboveUsual;
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        Severity severity = aboveCap || multiple >= config.highMultipleOfUsual() ? Severity.HIGH : Severity.MODERATE;
        List<String> reasons = new ArrayList<>();
        if (knownHistory && multiple > 1) {
            reasons.add(String.format(Locale.ROOT, "%.0f times its usual %.1f per order (mean of its last %d orders)",
                    multiple, usual.mean(), usual.size()));
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
        evidence.put("usualQuantity", knownHistory ? usual.mean() : null);
        evidence.put("baselineOrders", usual.size());
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
