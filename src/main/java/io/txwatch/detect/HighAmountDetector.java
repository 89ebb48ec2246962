package io.txwatch.detect;

import java.math.BigDecimal;
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
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.RollingSample;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Request;

/**
 * Flags an amount above the shop's absolute limit for its currency, or far above what this customer usually pays:
 * a multiple of the median of their recent payments, and far outside how much those payments vary (on a log scale,
 * in robust spreads from the quartiles), so that neither a customer whose amounts barely vary is flagged for a
 * slightly larger basket, nor one past large payment hides the next. Where a customer's history is thin, how much
 * the shop's well-known customers' amounts vary stands in, weaker: eight payments that happened to agree do not make
 * a shopper whose kind of shop sees baskets vary widely look like one who always pays the same.
 */
@ApplicationScoped
public class HighAmountDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.high-amount")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Absolute limit per currency (ISO code to amount); a currency without one is judged by history only. */
        Map<String, BigDecimal> limits();

        /** How far back the customer's payments may reach to form their history: generous, for occasional buyers. */
        @WithDefault("P90D")
        Duration window();

        /** The history holds at most this many latest payments. */
        @WithDefault("50")
        int historyPayments();

        /** No judgement by history until it holds this many payments. */
        @WithDefault("5")
        int minHistory();

        /**
         * Below this many payments the least spread widens, as the square root of this over the payments known: the
         * quartiles of a few payments often sit closer together than the customer's amounts really vary, so a thin
         * history flags only a far larger amount (8 times the median of 5 payments is not flagged, 100 times is).
         */
        @WithDefault("8")
        int confidentHistory();

        /**
         * Flag an amount at least this many robust spreads above the history's median on a log scale (the spread
         * is the interquartile range of the log amounts over 1.349)...
         */
        @WithDefault("4")
        double robustZ();

        /**
         * ...taking the spread as at least this (0.5: baskets routinely 40 % smaller or 65 % larger than usual), since a
         * customer who always pays the same has none, and the quartiles of a few payments often sit closer together than
         * the customer's amounts really vary...
         */
        @WithDefault("0.5")
        double minSpread();

        /** ...and at least this multiple of the median. */
        @WithDefault("5")
        double minMultipleOfMedian();

        /** At this multiple of the median, or above the absolute limit, the anomaly is HIGH; both make it CRITICAL. */
        @WithDefault("20")
        double highMultipleOfMedian();

        /**
         * Where a customer's history is thin (fewer than {@code population-confident-payments}), the spread judged by is
         * the larger of their own and {@code (payments x own + w x population's) / (payments + w)}, w being this weight;
         * the population is the customers paying in the same currency.
         */
        @WithDefault("20")
        double populationWeight();

        /**
         * From this many payments a customer's own spread decides alone, and informs the population's: once per batch
         * they pay in, so a customer counts the more the more often they buy.
         */
        @WithDefault("20")
        int populationConfidentPayments();

        /** The population's spread is the mean over this many days of event time of its confident customers' spreads. */
        @WithDefault("7")
        int populationDays();
    }

    /** The one figure a customer gives its currency's population: the spread of their amounts. */
    private static final int SPREAD = 0;

    private final Config config;
    private final DetectorMetrics metrics;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;
    private final PopulationBaselines populationBaselines;

    public HighAmountDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store,
            DetectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        metrics.expectThinBaselines(type().name());
        this.risk = risk;
        this.windows = windows;
        this.store = store;
        this.populationBaselines = new PopulationBaselines(windows, store, "amount-spreads", config.populationDays(), 1);
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.HIGH_AMOUNT;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    /**
     * One pipeline for the batch: the spreads of its currencies' populations over the last days (as they stood before
     * it), then every payment's history; then the spreads of the customers confident enough are added to their
     * currencies' populations.
     */
    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        List<Request> histories = batch.stream().map(event -> RollingSample.add(windows,
                windows.customerKey(event.customer().id(), "amounts:" + event.currency()), RollingSample.Extra.MEDIAN,
                event.transactionId(), event.occurredAt(), event.amount().toPlainString(), config.window(),
                config.historyPayments(), List.of())).toList();
        return populationBaselines.judge(batch, histories, PopulationBaselines.newestDay(batch), TransactionEvent::currency,
                (event, history, population) -> judge(event, history, population.mean(SPREAD)),
                (event, history) -> history.size() >= config.populationConfidentPayments() && history.lowerQuartile() > 0
                        ? Optional.of(new PopulationBaselines.Member(event.customer().id() + "|" + event.currency(),
                                history.logSpread(0)))
                        : Optional.empty());
    }

    /** The least spread assumed for a history of this many payments: wider below {@code confident-history}. */
    private double leastSpread(long payments) {
        return config.minSpread() * Math.sqrt(Math.max(1.0, (double) config.confidentHistory() / payments));
    }

    Optional<Finding> judge(TransactionEvent event, RollingSample.Stats history, OptionalDouble populationSpread) {
        BigDecimal amount = event.amount();
        BigDecimal limit = config.limits().get(event.currency());
        boolean aboveLimit = limit != null && amount.compareTo(limit) > 0;
        boolean knownHistory = history.size() >= config.minHistory() && history.lowerQuartile() > 0
                && amount.signum() > 0;
        if (history.size() < config.minHistory()) {
            metrics.thinBaseline(type().name());
        }
        double multiple = knownHistory ? amount.doubleValue() / history.median() : 0;
        double spread = knownHistory ? PopulationBaselines.standIn(history.logSpread(leastSpread(history.size())),
                history.size(), history.size() < config.populationConfidentPayments(), populationSpread,
                config.populationWeight()) : 0;
        double robustZ = knownHistory ? Math.log(multiple) / spread : 0;
        boolean aboveHistory = knownHistory && multiple >= config.minMultipleOfMedian() && robustZ >= config.robustZ();
        double limitStrength = limit == null || limit.signum() <= 0 ? 0
                : Strength.ofRule(amount.doubleValue() / limit.doubleValue());
        double strength = Math.max(Strength.ofZ(robustZ), limitStrength);
        boolean alarm = aboveLimit || aboveHistory;
        if (!alarm && strength < risk.signalFloor()) {
            return Optional.empty();
        }
        Severity severity = aboveLimit && aboveHistory ? Severity.CRITICAL
                : aboveLimit || multiple >= config.highMultipleOfMedian() ? Severity.HIGH : Severity.MODERATE;
        List<String> reasons = new ArrayList<>();
        if (knownHistory && robustZ > 0) {
            reasons.add(String.format("%.1f times this customer's usual %s (median of %d payments, half of them between "
                    + "%s and %s)", multiple, MoneyFormat.format(BigDecimal.valueOf(history.median()), event.currency()),
                    history.size(), MoneyFormat.format(BigDecimal.valueOf(history.lowerQuartile()), event.currency()),
                    MoneyFormat.format(BigDecimal.valueOf(history.upperQuartile()), event.currency())));
        }
        if (aboveLimit) {
            reasons.add("above the limit of " + MoneyFormat.format(limit, event.currency()) + " for " + event.currency());
        } else if (limitStrength >= risk.signalFloor()) {
            reasons.add(MoneyFormat.percent(amount.doubleValue() / limit.doubleValue()) + " of the limit of "
                    + MoneyFormat.format(limit, event.currency()) + " for " + event.currency());
        }
        String observation = String.format("Transaction %s: %s paid %s, %s.", event.transactionId(),
                event.customerReference(), MoneyFormat.format(amount, event.currency()), String.join(", and ", reasons));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("amount", amount);
        evidence.put("currency", event.currency());
        evidence.put("limit", limit);
        evidence.put("historyPayments", history.size());
        evidence.put("historyMedian", knownHistory ? history.median() : null);
        evidence.put("historyLowerQuartile", knownHistory ? history.lowerQuartile() : null);
        evidence.put("historyUpperQuartile", knownHistory ? history.upperQuartile() : null);
        evidence.put("multipleOfMedian", knownHistory ? multiple : null);
        evidence.put("logSpread", knownHistory ? spread : null);
        if (knownHistory && history.size() < config.populationConfidentPayments()) {
            populationSpread.ifPresent(population -> evidence.put("populationLogSpread", population));
        }
        evidence.put("robustZ", knownHistory ? robustZ : null);
        if (!alarm) {
            return Optional.of(Finding.evidenceOnly(type(), event.transactionId(), strength, event.occurredAt(),
                    event.transactionId(), event.customer().id(), null, observation, evidence));
        }
        double score = Math.max(aboveLimit ? amount.doubleValue() / limit.doubleValue() : 0,
                aboveHistory ? multiple / config.minMultipleOfMedian() : 0);
        return Optional.of(new Finding(type(), event.transactionId(), severity, score, strength, event.occurredAt(),
                event.transactionId(), event.customer().id(), null, observation + " " + severity + ".", evidence));
    }
}
