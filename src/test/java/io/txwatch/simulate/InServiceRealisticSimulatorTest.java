package io.txwatch.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.evaluate.ReportingCurrency;
import io.txwatch.evaluate.Scorecard;

/**
 * The realistic profile through the real pipeline: traffic txwatch was not tuned on (night workers, shoppers without a
 * location, long trips, occasional buyers, dispersed prices, backfills) is still judged with few false alarms, and
 * what was injected is still found. Floors below the aims (recall 0.95, precision 0.9, 0.1 % of clean events
 * flagged), which {@code ./mvnw -Pevaluate} measures over a week.
 */
@QuarkusTest
@TestProfile(InServiceRealisticSimulatorTest.RealisticSimulatorOn.class)
class InServiceRealisticSimulatorTest {

    private static final int EVENTS = 30_000;
    private static final double RECALL_FLOOR = 0.85;
    private static final double PRECISION_FLOOR = 0.85;
    private static final double CLEAN_FALSE_POSITIVE_CEILING = 0.001;

    public static class RealisticSimulatorOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "txwatch.simulator.profile", "realistic",
                    "txwatch.simulator.customers", "4000"));
            settings.putAll(ReportingCurrency.of(StreamSettings.defaults(Instant.EPOCH)));
            return SimulatedStreamScore.simulatorOn(11, EVENTS, settings);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    @Test
    void realisticTrafficIsRarelyFlaggedAndWhatWasInjectedIsFound() {
        Scorecard.Result result = SimulatedStreamScore.of(bootstrapServers, registry, EVENTS);
        String table = SimulatedStreamScore.describe(result);
        System.out.println(table);

        assertThat(result.kinds()).as("every kind but the unusual hour injected" + table)
                .allMatch(kind -> kind.injected() > 0 || kind.kind() == AnomalyType.UNUSUAL_HOUR);
        for (Scorecard.KindScore kind : result.kinds()) {
            if (kind.injected() > 0) {
                assertThat(kind.recall()).as("recall of " + kind.kind() + table).isGreaterThanOrEqualTo(RECALL_FLOOR);
            }
            if (kind.reported() >= 10) {
                assertThat(kind.precision()).as("precision of " + kind.kind() + table).isGreaterThanOrEqualTo(PRECISION_FLOOR);
            }
        }
        assertThat(result.cleanFalsePositiveRate()).as("share of clean events flagged" + table)
                .isLessThanOrEqualTo(CLEAN_FALSE_POSITIVE_CEILING);
    }
}
