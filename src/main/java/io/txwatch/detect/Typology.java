package io.txwatch.detect;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.txwatch.anomaly.AnomalyType;

/**
 * A named pattern of signals that coincide on one event, such as card testing (failed payments and velocity):
 * weak alone, an alarm together.
 *
 * @param weights each kind's weight in the combined risk
 */
public record Typology(String name, String description, Map<AnomalyType, Double> weights, double threshold,
        int minSignals) {

    public Typology {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a typology needs a name");
        }
        if (weights.isEmpty() || weights.values().stream().anyMatch(weight -> !(weight > 0) || !Double.isFinite(weight))) {
            throw new IllegalArgumentException("typology " + name + " needs weights above 0 for at least one kind");
        }
        if (!(threshold > 0) || minSignals < 1) {
            throw new IllegalArgumentException("typology " + name + " needs a threshold above 0 and min-signals of 1 or more");
        }
        if (weights.containsKey(AnomalyType.SALES_VOLUME)) {
            throw new IllegalArgumentException("typology " + name + " weighs SALES_VOLUME, which judges time buckets, not events");
        }
        weights = Map.copyOf(weights);
    }

    /** The enabled typologies as configured; an unknown anomaly type is an error at start, not a silent no-op. */
    static List<Typology> configured(RiskConfig config) {
        return config.typologies().entrySet().stream()
                .filter(entry -> entry.getValue().enabled())
                .map(entry -> {
                    Map<AnomalyType, Double> weights = new EnumMap<>(AnomalyType.class);
                    entry.getValue().weights().forEach((kind, weight) -> weights.put(kindNamed(entry.getKey(), kind), weight));
                    return new Typology(entry.getKey(), entry.getValue().description(), weights,
                            entry.getValue().threshold(), entry.getValue().minSignals());
                })
                .sorted(Comparator.comparing(Typology::name))
                .toList();
    }

    private static AnomalyType kindNamed(String typology, String kind) {
        try {
            return AnomalyType.valueOf(kind.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("typology " + typology + " weighs " + kind + ", which is no anomaly type", e);
        }
    }
}
