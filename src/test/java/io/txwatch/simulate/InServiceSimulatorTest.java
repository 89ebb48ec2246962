package io.txwatch.simulate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.evaluate.Scorecard;

/**
 * The simulator running inside the service feeds the real pipeline (Kafka, every detector on Redis, PostgreSQL):
 * every kind of anomaly it injects is detected, and what the detectors report is mostly what was injected. The
 * ground truth is read from the published records' headers, which the detectors never see; {@link Scorecard} says
 * how anomalies are matched to it. The evaluation command ({@code ./mvnw -Pevaluate}) scores a longer stream the
 * same way.
 */
@QuarkusTest
@TestProfile(InServiceSimulatorTest.SimulatorOn.class)
class InServiceSimulatorTest {

    private static final int EVENTS = 30_000;
    private static final double RECALL_FLOOR = 0.9;
    private static final double PRECISION_FLOOR = 0.9;
    private static final double CLEAN_FALSE_POSITIVE_CEILING = 0.002;

    public static class SimulatorOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SimulatedStreamScore.simulatorOn(7, EVENTS, Map.of());
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    @Test
    void everyInjectedKindIsDetectedAndCleanTrafficIsRarelyFlagged() {
        Scorecard.Result result = SimulatedStreamScore.of(bootstrapServers, registry, EVENTS);
        String table = SimulatedStreamScore.describe(result);
        System.out.println(table);

        // the stream covers hours of event time: no shopper gets a day-long profile of usual hours, so no night
        // purchase is injected as an unusual hour (./mvnw -Pevaluate scores that kind over a week)
        assertThat(result.kinds()).as("every kind but the unusual hour injected")
                .allMatch(kind -> kind.injected() > 0 || kind.kind() == AnomalyType.UNUSUAL_HOUR);
        assertThat(result.of(AnomalyType.UNUSUAL_HOUR).reported()).as("unusual hours without any profile" + table).isZero();
        for (Scorecard.KindScore kind : result.kinds()) {
            if (kind.injected() == 0) {
                continue;
            }
            assertThat(kind.recall()).as("recall of " + kind.kind() + table).isGreaterThanOrEqualTo(RECALL_FLOOR);
            if (kind.reported() > 0) {
                assertThat(kind.precision()).as("precision of " + kind.kind() + table).isGreaterThanOrEqualTo(PRECISION_FLOOR);
            }
        }
        assertThat(result.cleanFalsePositiveRate()).as("share of clean events flagged" + table)
                .isLessThanOrEqualTo(CLEAN_FALSE_POSITIVE_CEILING);
        assertThat(given().when().get("/api/v1/catalog/products?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("sku")).as("the simulated catalog").hasSize(300);
    }
}
