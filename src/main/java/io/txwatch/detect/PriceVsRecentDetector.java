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

/**
 * Flags a line sold far from the product's recent prices: the median of its latest sales, which one mispriced
 * sale cannot drag along. It covers what the catalog cannot: products missing from it, and catalog prices gone
 * stale. A line that {@link PriceVsCatalogDetector} already flags is left to it, so one price error is one anomaly.
 */
@ApplicationScoped
public class PriceVsRecentDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.price-vs-recent")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** How far back the product's sales form its baseline. */
        @WithDefault("P1D")
        Duration window();

        /** The baseline is the median of at most this many latest sales in the window. */
        @WithDefault("50")
        int baselineSales();

        /** No judgement until the baseline holds this many sales. */
        @WithDefault("5")
        int minSales();

        /** Flag a unit price that deviates from the baseline by more than this share of it. */
        @WithDefault("0.50")
        double maxDeviation();

        /** Above this deviation the anomaly is CRITICAL; HIGH below. */
        @WithDefault("0.75")
        double criticalAbove();
    }

    record Line(TransactionEvent event, LineItem item) {
    }

    private final Config config;
    private final WindowConfig windows;
    private final WindowStore store;
    private final CatalogCache catalog;
    private final PriceVsCatalogDetector catalogDetector;

    public PriceVsRecentDetector(Config config, WindowConfig windows, WindowStore store,
            CatalogCache catalog, PriceVsCatalogDetector catalogDetector) {
        this.config = config;
        this.windows = windows;
        this.store = store;
        this.catalog = catalog;
        this.catalogDetector = catalogDetector;
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
                        windows.productKey(item.sku(), "prices:" + event.currency()), RollingSample.Extra.MEDIAN,
                        event.transactionId() + "#" + index, event.occurredAt(), item.unitPrice().toPlainString(),
                        config.window(), config.baselineSales(), List.of()));
            }
        }
        return probes.judge(store, (line, response) -> flaggedByCatalog(line) ? Optional.empty()
                : judge(line.event(), line.item(), RollingSample.read(response)));
    }

    private boolean flaggedByCatalog(Line line) {
        return catalogDetector.enabled() && catalog.find(line.item().sku())
                .filter(product -> catalogDetector.outsideListPrice(line.event(), line.item(), product))
                .isPresent();
    }

    Optional<Finding> judge(TransactionEvent event, LineItem item, RollingSample.Stats prices) {
        if (prices.size() < config.minSales() || prices.median() <= 0) {
            return Optional.empty();
        }
        BigDecimal median = BigDecimal.valueOf(prices.median());
        double ratio = item.unitPrice().divide(median, MathContext.DECIMAL64).doubleValue();
        double deviation = Math.abs(ratio - 1);
        if (deviation <= config.maxDeviation()) {
            return Optional.empty();
        }
        boolean discount = ratio < 1;
        Severity severity = deviation > config.criticalAbove() ? Severity.CRITICAL : Severity.HIGH;
        String product = item.name() != null ? item.name() + " (sku " + item.sku() + ")" : "sku " + item.sku();
        String explanation = String.format("Transaction %s: %s bought %s for %s, %s %s its median price of %s over its "
                + "last %d sales. %s: %s.",
                event.transactionId(), event.customerReference(), product,
                MoneyFormat.format(item.unitPrice(), event.currency()), MoneyFormat.percent(deviation),
                discount ? "below" : "above", MoneyFormat.format(median, event.currency()), prices.size(), severity,
                discount ? "revenue loss" : "customer overcharged");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("unitPrice", item.unitPrice());
        evidence.put("medianPrice", median);
        evidence.put("meanPrice", prices.mean());
        evidence.put("baselineSales", prices.size());
        evidence.put("currency", event.currency());
        evidence.put("quantity", item.quantity());
        evidence.put("deviation", deviation);
        evidence.put("direction", discount ? "discount" : "markup");
        evidence.put("maxDeviation", config.maxDeviation());
        evidence.put("inCatalog", catalog.find(item.sku()).isPresent());
        return Optional.of(new Finding(type(), event.transactionId() + ":" + item.sku(), severity, deviation,
                event.occurredAt(), event.transactionId(), event.customer().id(), item.sku(), explanation, evidence));
    }
}
