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
import io.txwatch.event.TransactionEvent.PaymentStatus;
import io.txwatch.window.SlidingCount;
import io.txwatch.window.WindowConfig;
import io.txwatch.window.WindowStore;

/**
 * Flags a customer whose payments keep failing: a stolen card being tried, or a checkout that is broken for them.
 * Only failed attempts enter the window; one burst raises one anomaly, on the failure that reached the limit.
 */
@ApplicationScoped
public class FailedPaymentBurstDetector implements TransactionDetector {

    @ConfigMapping(prefix = "txwatch.detectors.failed-payment-burst")
    public interface Config {

        @WithDefault("true")
        boolean enabled();

        /** Length of the sliding window. */
        @WithDefault("PT10M")
        Duration window();

        /** Flag when one customer has at least this many failed payments within the window. */
        @WithDefault("3")
        int minFailures();

        /** The burst is HIGH when the failures came within this time; MODERATE otherwise. */
        @WithDefault("PT2M")
        Duration highWithin();

        /**
         * How many failed payments a customer usually has within the window: the Poisson mean a count's strength is
         * measured against. Fewer than the limit, but improbably many, are evidence for a typology.
         */
        @WithDefault("0.2")
        double usualFailures();
    }

    private final Config config;
    private final RiskConfig risk;
    private final WindowConfig windows;
    private final WindowStore store;

    public FailedPaymentBurstDetector(Config config, RiskConfig risk, WindowConfig windows, WindowStore store) {
        this.config = config;
        this.risk = risk;
        this.windows = windows;
        this.store = store;
    }

    @Override
    public AnomalyType type() {
        return AnomalyType.FAILED_PAYMENT_BURST;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        WindowProbes<TransactionEvent> probes = new WindowProbes<>();
        for (TransactionEvent event : batch) {
            if (event.status() == PaymentStatus.FAILED) {
                String customer = event.customer().id();
                probes.add(event, SlidingCount.add(windows, windows.customerKey(customer, "failures"),
                        windows.customerKey(customer, "failures-alert"), event.transactionId(), event.occurredAt(),
                        config.window(), config.minFailures()));
            }
        }
        return probes.judge(store, (event, response) -> judge(event, SlidingCount.read(response)));
    }

    Optional<Finding> judge(TransactionEvent event, SlidingCount.Result failures) {
        double strength = Strength.ofCount(failures.count(), config.usualFailures());
        Duration span = Duration.between(failures.firstInWindow(), event.occurredAt());
        String reason = event.failureReason() != null ? event.failureReason() : "not given";
        if (failures.count() < config.minFailures()) {
            return strength < risk.signalFloor() ? Optional.empty()
                    : Optional.of(Finding.evidenceOnly(type(), event.transactionId(), strength, event.occurredAt(),
                            event.transactionId(), event.customer().id(), null,
                            String.format("%s had %d failed payments within %s (last reason: %s).",
                                    Wording.sentenceStart(event.customerReference()), failures.count(), Wording.span(span),
                                    reason),
                            evidence(event, failures, span, reason)));
        }
        if (!failures.opensAlert()) {
            return Optional.empty();
        }
        Severity severity = span.compareTo(config.highWithin()) <= 0 ? Severity.HIGH : Severity.MODERATE;
        String explanation = String.format("%s had %d failed payments within %s (%s–%s UTC), the limit is %d per %s; "
                + "last reason: %s — a stolen card being tried, or a broken checkout. %s.",
                Wording.sentenceStart(event.customerReference()), failures.count(), Wording.span(span),
                Wording.clock(failures.firstInWindow()), Wording.clock(event.occurredAt()), config.minFailures(),
                Wording.span(config.window()), reason, severity);
        return Optional.of(new Finding(type(), event.transactionId(), severity,
                (double) failures.count() / config.minFailures(), strength, event.occurredAt(), event.transactionId(),
                event.customer().id(), null, explanation, evidence(event, failures, span, reason)));
    }

    private Map<String, Object> evidence(TransactionEvent event, SlidingCount.Result failures, Duration span,
            String reason) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("failuresInWindow", failures.count());
        evidence.put("firstAt", failures.firstInWindow().toString());
        evidence.put("spanSeconds", span.toMillis() / 1000.0);
        evidence.put("limit", config.minFailures());
        evidence.put("windowSeconds", config.window().toSeconds());
        evidence.put("usualFailures", config.usualFailures());
        evidence.put("lastFailureReason", reason);
        evidence.put("paymentMethod", event.paymentMethod());
        return evidence;
    }
}
