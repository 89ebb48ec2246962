package io.txwatch.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;

/**
 * Turns the signals of a batch into alarms: each detector's own alarm stands, carrying every signal seen on its
 * event; signals that coincide on one event in a {@link Typology} raise one more alarm together when their weighted
 * strengths add up to its threshold; evidence that is part of neither is dropped. Deterministic, so a redelivered
 * event yields the same alarms.
 */
@ApplicationScoped
public class RiskAssessor {

    private static final Logger LOG = Logger.getLogger(RiskAssessor.class);
    private static final Comparator<Finding> STRONGEST_FIRST = Comparator.comparingDouble(Finding::strength).reversed()
            .thenComparing(finding -> finding.type().name()).thenComparing(Finding::subject);

    private final List<Typology> typologies;

    public RiskAssessor(RiskConfig config) {
        this.typologies = Typology.configured(config);
        LOG.infof("Typologies: %s", typologies.stream().map(Typology::name).toList());
    }

    /** The alarms among these findings of one batch of events, with the typologies' alarms added. */
    public List<Finding> assess(List<Finding> findings) {
        Map<String, List<Finding>> byEvent = new LinkedHashMap<>();
        List<Finding> alarms = new ArrayList<>();
        for (Finding finding : findings) {
            if (finding.transactionId() == null) {
                alarms.add(finding);
            } else {
                byEvent.computeIfAbsent(finding.transactionId(), id -> new ArrayList<>()).add(finding);
            }
        }
        byEvent.values().forEach(signals -> assessEvent(signals, alarms));
        return alarms;
    }

    /** The signals of one event; their list is built only where something is raised, most events raise nothing. */
    private void assessEvent(List<Finding> findings, List<Finding> alarms) {
        List<Finding> strongestFirst = findings.stream().sorted(STRONGEST_FIRST).toList();
        Map<AnomalyType, Finding> strongestPerKind = new EnumMap<>(AnomalyType.class);
        strongestFirst.forEach(finding -> strongestPerKind.putIfAbsent(finding.type(), finding));
        List<Raised> raised = new ArrayList<>();
        for (Typology typology : typologies) {
            List<Finding> matched = strongestPerKind.values().stream()
                    .filter(finding -> typology.weights().containsKey(finding.type()))
                    .sorted(STRONGEST_FIRST)
                    .toList();
            if (matched.size() < typology.minSignals()) {
                continue;
            }
            double risk = Math.min(1, matched.stream()
                    .mapToDouble(finding -> typology.weights().get(finding.type()) * finding.strength()).sum());
            if (risk >= typology.threshold()) {
                raised.add(new Raised(typology, risk, matched));
            }
        }
        if (raised.isEmpty() && findings.stream().noneMatch(Finding::alarm)) {
            return;
        }
        List<Signal> signals = strongestFirst.stream().map(Finding::signal).toList();
        findings.stream().filter(Finding::alarm).forEach(finding -> alarms.add(finding.withSignals(signals)));
        raised.forEach(typology -> alarms.add(alarm(typology.typology(), typology.risk(), typology.matched(), signals)));
    }

    /** A typology whose signals on an event add up to its threshold, strongest first. */
    private record Raised(Typology typology, double risk, List<Finding> matched) {
    }

    /**
     * A typology's alarm: filed under its strongest signal's type (so a filter by type still finds it), one per
     * event and typology.
     */
    private static Finding alarm(Typology typology, double risk, List<Finding> matched, List<Signal> signals) {
        Finding strongest = matched.get(0);
        Severity severity = risk >= 0.95 ? Severity.CRITICAL : risk >= 0.85 ? Severity.HIGH : Severity.MODERATE;
        String reasons = matched.stream()
                .map(finding -> String.format(Locale.ROOT, "%s (%.2f)", finding.type().inWords(), finding.strength()))
                .collect(Collectors.collectingAndThen(Collectors.toList(), RiskAssessor::joinWithAnd));
        String explanation = String.format(Locale.ROOT, "Transaction %s by customer %s looks like %s, %s: %s add up to "
                + "risk %.2f. %s.", strongest.transactionId(), strongest.customerId(), typology.name().replace('-', ' '),
                typology.description(), reasons, risk, severity);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("typology", typology.name());
        evidence.put("threshold", typology.threshold());
        Map<String, Object> contributions = new LinkedHashMap<>();
        matched.forEach(finding -> contributions.put(finding.type().name(),
                Map.of("strength", finding.strength(), "weight", typology.weights().get(finding.type()))));
        evidence.put("contributions", contributions);
        return new Finding(strongest.type(), strongest.transactionId() + ":" + typology.name(), severity,
                risk / typology.threshold(), risk, true, strongest.occurredAt(), strongest.transactionId(),
                strongest.customerId(), null, explanation, evidence, 0, typology.name(), risk, signals);
    }

    private static String joinWithAnd(List<String> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
