package io.txwatch.detect;

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
import io.txwatch.event.TransactionEvent;
import io.txwatch.window.SlidingCount;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags a customer making more transactions than a person can in a short time: a bot, a scripted checkout, card
 * testing. The window slides with each event, so a burst across a minute boundary counts whole; one burst raises
 * one anomaly, on the transaction that crossed the limit.
 */
@ApplicationScoped
public class VelocityDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.velocity")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Length of the sliding window. */
        @WithDefault("PT60S")
        Duration window();

        /** Flag when one customer makes more than this many transactions (any status) within the window. */
        @WithDefault("5")
        int maxTransactions();

        /** The burst is HIGH when it happened within this time, CRITICAL within the next; MODERATE otherwise. */
        @WithDefault("PT30S")
        Duration highWithin();

        @WithDefault("PT10S")
        Duration criticalWithin();

        /**
         * How many transactions a customer usually makes within the window: the Poisson mean a count's strength is
         * measured against. Fewer than the limit, but improbably many, are evidence for a typology.
         */
        @WithDefault("0.5")
        double usualTransactions();
    }

    private final Config config;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;

    public VelocityDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store) {
        this.config = config;
        this.risk = risk;
        this.windows = windows;
        this.store = store;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.VELOCITY;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        WindowProbes<TransactionEvent> probes = new WindowProbes<>();
        for (TransactionEvent event : batch) {
            String customer = event.customer().id();
            probes.add(event, SlidingCount.add(windows, windows.customerKey(customer, "velocity"),
                    windows.customerKey(customer, "velocity-alert"), event.transactionId(), event.occurredAt(),
                    config.window(), config.maxTransactions() + 1));
        }
        return probes.judge(store, (event, response) -> judge(event, SlidingCount.read(response)));
    }

    Optional<Finding> judge(TransactionEvent event, SlidingCount.Result count) {
        double strength = Strength.ofCount(count.count(), config.usualTransactions());
        Duration span = Duration.between(count.firstInWindow(), event.occurredAt());
        if (count.count() <= config.maxTransactions()) {
            return strength < risk.signalFloor() ? Optional.empty()
                    : Optional.of(Finding.evidenceOnly(type(), event.transactionId(), strength, event.occurredAt(),
                            event.transactionId(), event.customer().id(), null,
                            String.format("%s made %d transactions within %s.", Wording.sentenceStart(event.customerReference()),
                                    count.count(), Wording.span(span)),
                            evidence(count, span)));
        }
        if (!count.opensAlert()) {
            return Optional.empty();
        }
        Severity severity = span.compareTo(config.criticalWithin()) <= 0 ? Severity.CRITICAL
                : span.compareTo(config.highWithin()) <= 0 ? Severity.HIGH : Severity.MODERATE;
        String explanation = String.format("%s made %d transactions within %s (%s–%s UTC), above the limit of %d per %s — "
                + "a bot, a scripted checkout or card testing. %s.",
                Wording.sentenceStart(event.customerReference()), count.count(), Wording.span(span),
                Wording.clock(count.firstInWindow()), Wording.clock(event.occurredAt()), config.maxTransactions(),
                Wording.span(config.window()), severity);
        return Optional.of(new Finding(type(), event.transactionId(), severity,
                (double) count.count() / config.maxTransactions(), strength, event.occurredAt(), event.transactionId(),
                event.customer().id(), null, explanation, evidence(count, span)));
    }

    private Map<String, Object> evidence(SlidingCount.Result count, Duration span) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("transactionsInWindow", count.count());
        evidence.put("firstAt", count.firstInWindow().toString());
        evidence.put("spanSeconds", span.toMillis() / 1000.0);
        evidence.put("limit", config.maxTransactions());
        evidence.put("windowSeconds", config.window().toSeconds());
        evidence.put("usualTransactions", config.usualTransactions());
        return evidence;
    }
}
