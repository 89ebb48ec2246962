package io.txwatch.detect;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
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
import io.txwatch.event.TransactionEvent;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags an amount above the shop's absolute limit for its currency, or far above what this customer usually pays:
 * more than the mean of their recent payments plus k standard deviations, and a multiple of that mean, so that a
 * customer whose amounts barely vary is not flagged for a slightly larger basket.
 */
@ApplicationScoped
public class HighAmountDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.high-amount")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Absolute limit per currency (ISO code to amount); a currency without one is judged by history only. */
        Map<String, BigDecimal> limits();

        /** How far back the customer's payments form their history. */
        @WithDefault("P30D")
        Duration window();

        /** The history holds at most this many latest payments. */
        @WithDefault("100")
        int historyPayments();

        /** No judgement by history until it holds this many payments. */
        @WithDefault("5")
        int minHistory();

        /** Flag above the history's mean plus this many standard deviations... */
        @WithDefault("4")
        double sigmas();

        /** ...when the amount is also at least this multiple of the mean. */
        @WithDefault("5")
        double minMultipleOfMean();

        /** At this multiple of the mean, or above the absolute limit, the anomaly is HIGH; both make it CRITICAL. */
        @WithDefault("20")
        double highMultipleOfMean();
    }

    private final Config config;
    private final WindowConfig windows;
    private final WindowStore store;

    public HighAmountDetector(Config config, WindowConfig windows, WindowStore store) {
        this.config = config;
        this.windows = windows;
        this.store = store;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.HIGH_AMOUNT;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        WindowProbes<TransactionEvent> probes = new WindowProbes<>();
        for (TransactionEvent event : batch) {
            probes.add(event, RollingSample.add(windows, windows.customerKey(event.customer().id(), "amounts:" + event.currency()),
                    RollingSample.Extra.NONE, event.transactionId(), event.occurredAt(), event.amount().toPlainString(),
                    config.window(), config.historyPayments(), List.of()));
        }
        return probes.judge(store, (event, response) -> judge(event, RollingSample.read(response)));
    }

    Optional<Finding> judge(TransactionEvent event, RollingSample.Stats history) {
        BigDecimal amount = event.amount();
        BigDecimal limit = config.limits().get(event.currency());
        boolean aboveLimit = limit != null && amount.compareTo(limit) > 0;
        boolean knownHistory = history.size() >= config.minHistory() && history.mean() > 0;
        double multiple = knownHistory ? amount.doubleValue() / history.mean() : 0;
        double ceiling = history.mean() + config.sigmas() * history.standardDeviation();
        boolean aboveHistory = knownHistory && amount.doubleValue() > ceiling && multiple >= config.minMultipleOfMean();
        if (!aboveLimit && !aboveHistory) {
            return Optional.empty();
        }
        Severity severity = aboveLimit && aboveHistory ? Severity.CRITICAL
                : aboveLimit || multiple >= config.highMultipleOfMean() ? Severity.HIGH : Severity.MODERATE;
        List<String> reasons = new ArrayList<>();
        if (aboveHistory) {
            reasons.add(String.format("%.1f times this customer's usual %s (mean of %d payments; mean + %s σ is %s)",
                    multiple, MoneyFormat.format(BigDecimal.valueOf(history.mean()), event.currency()), history.size(),
                    trimmed(config.sigmas()), MoneyFormat.format(BigDecimal.valueOf(ceiling), event.currency())));
        }
        if (aboveLimit) {
            reasons.add("above the limit of " + MoneyFormat.format(limit, event.currency()) + " for " + event.currency());
        }
        String explanation = String.format("Transaction %s: %s paid %s, %s. %s.", event.transactionId(),
                event.customerReference(), MoneyFormat.format(amount, event.currency()), String.join(", and ", reasons),
                severity);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("amount", amount);
        evidence.put("currency", event.currency());
        evidence.put("limit", limit);
        evidence.put("historyPayments", history.size());
        evidence.put("historyMean", history.mean());
        evidence.put("historyStandardDeviation", history.standardDeviation());
        evidence.put("historyCeiling", knownHistory ? ceiling : null);
        evidence.put("multipleOfMean", knownHistory ? multiple : null);
        double score = Math.max(aboveLimit ? amount.doubleValue() / limit.doubleValue() : 0,
                aboveHistory ? multiple / config.minMultipleOfMean() : 0);
        return Optional.of(new Finding(type(), event.transactionId(), severity, score, event.occurredAt(),
                event.transactionId(), event.customer().id(), null, explanation, evidence));
    }

    private static String trimmed(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }
}
