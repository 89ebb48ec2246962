package io.txwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;

/** Signals become alarms on their own, or together in a typology; evidence alone never does. */
class RiskAssessorTest {

    private static final Instant AT = Instant.parse("2026-09-01T10:00:00Z");

    private static final Map<String, String> CARD_TESTING = Map.of(
            "txwatch.risk.typologies.card-testing.description", "a stolen card being tried",
            "txwatch.risk.typologies.card-testing.weights.FAILED_PAYMENT_BURST", "1.0",
            "txwatch.risk.typologies.card-testing.weights.VELOCITY", "1.0",
            "txwatch.risk.typologies.card-testing.threshold", "0.7");

    private static RiskAssessor assessor(Map<String, String> properties) {
        return new RiskAssessor(DetectorConfigs.defaults(RiskConfig.class, properties));
    }

    private static Finding evidence(AnomalyType kind, String transactionId, double strength) {
        return Finding.evidenceOnly(kind, transactionId, strength, AT, transactionId, "c-1", null,
                kind + " seen on " + transactionId + ".", Map.of("strength", strength));
    }

    private static Finding alarm(AnomalyType kind, String transactionId, double strength) {
        return new Finding(kind, transactionId, Severity.HIGH, 2, strength, AT, transactionId, "c-1", null,
                kind + " alarm on " + transactionId + ".", Map.of());
    }

    @Test
    void weakSignalsThatCoincideInATypologyRaiseOneAlarmTogether() {
        List<Finding> alarms = assessor(CARD_TESTING).assess(List.of(
                evidence(AnomalyType.VELOCITY, "t-1", 0.46), evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-1", 0.29)));

        assertThat(alarms).singleElement().satisfies(alarm -> {
            assertThat(alarm.alarm()).isTrue();
            assertThat(alarm.typology()).isEqualTo("card-testing");
            assertThat(alarm.type()).as("filed under its strongest signal").isEqualTo(AnomalyType.VELOCITY);
            assertThat(alarm.dedupKey()).isEqualTo("VELOCITY:t-1:card-testing");
            assertThat(alarm.riskScore()).isCloseTo(0.75, within(1e-9));
            assertThat(alarm.signals()).extracting(Signal::kind)
                    .containsExactly(AnomalyType.VELOCITY, AnomalyType.FAILED_PAYMENT_BURST);
            assertThat(alarm.explanation()).isEqualTo("Transaction t-1 by customer c-1 looks like card testing, a stolen "
                    + "card being tried: many transactions in a short time (0.46) and repeated failed payments (0.29) add "
                    + "up to risk 0.75. MODERATE.");
        });
    }

    @Test
    void weakSignalsBelowTheTypologysThresholdStayEvidence() {
        assertThat(assessor(CARD_TESTING).assess(List.of(
                evidence(AnomalyType.VELOCITY, "t-1", 0.40), evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-1", 0.29))))
                .isEmpty();
    }

    @Test
    void oneSignalAloneIsNoTypologyHoweverStrong() {
        assertThat(assessor(CARD_TESTING).assess(List.of(evidence(AnomalyType.VELOCITY, "t-1", 0.95)))).isEmpty();
    }

    @Test
    void signalsOfDifferentEventsDoNotCombine() {
        assertThat(assessor(CARD_TESTING).assess(List.of(
                evidence(AnomalyType.VELOCITY, "t-1", 0.5), evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-2", 0.5))))
                .isEmpty();
    }

    @Test
    void weightsScaleEachKindsStrength() {
        Map<String, String> weighted = new HashMap<>(CARD_TESTING);
        weighted.put("txwatch.risk.typologies.card-testing.weights.VELOCITY", "0.5");

        assertThat(assessor(weighted).assess(List.of(
                evidence(AnomalyType.VELOCITY, "t-1", 0.6), evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-1", 0.3))))
                .as("0.5 x 0.6 + 0.3 = 0.6, below 0.7").isEmpty();
    }

    @Test
    void aDetectorsAlarmStandsAndCarriesEverySignalOfItsEvent() {
        List<Finding> alarms = assessor(Map.of()).assess(List.of(
                evidence(AnomalyType.UNUSUAL_HOUR, "t-1", 0.3), alarm(AnomalyType.HIGH_AMOUNT, "t-1", 0.8),
                evidence(AnomalyType.VELOCITY, "t-2", 0.3)));

        assertThat(alarms).singleElement().satisfies(alarm -> {
            assertThat(alarm.typology()).isNull();
            assertThat(alarm.riskScore()).isEqualTo(0.8);
            assertThat(alarm.signals()).extracting(Signal::kind, Signal::alarm)
                    .containsExactly(tuple(AnomalyType.HIGH_AMOUNT, true),
                            tuple(AnomalyType.UNUSUAL_HOUR, false));
        });
    }

    @Test
    void aTypologyAlsoFiresBesideAnAlarmOfOneOfItsKinds() {
        List<Finding> alarms = assessor(CARD_TESTING).assess(List.of(
                alarm(AnomalyType.VELOCITY, "t-1", 0.8), evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-1", 0.29)));

        assertThat(alarms).extracting(Finding::typology).containsExactly(null, "card-testing");
        assertThat(alarms.get(1).riskScore()).as("capped at 1").isEqualTo(1.0);
        assertThat(alarms.get(1).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void findingsAboutTimeBucketsPassUnchanged() {
        Finding bucket = new Finding(AnomalyType.SALES_VOLUME, "2026-09-01T10:00:00Z", Severity.HIGH, 4, 0.7, AT, null,
                null, null, "sales dropped", Map.of()).revised(3);

        assertThat(assessor(CARD_TESTING).assess(List.of(bucket))).containsExactly(bucket);
    }

    @Test
    void theSameSignalsYieldTheSameAlarms() {
        Finding failures = evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-1", 0.4);
        Finding velocity = evidence(AnomalyType.VELOCITY, "t-1", 0.4);

        assertThat(assessor(CARD_TESTING).assess(List.of(failures, velocity)))
                .isEqualTo(assessor(CARD_TESTING).assess(List.of(velocity, failures)))
                .singleElement().extracting(Finding::type).as("equal strengths: the first kind by name")
                .isEqualTo(AnomalyType.FAILED_PAYMENT_BURST);
    }

    @Test
    void aDisabledTypologyRaisesNothing() {
        Map<String, String> disabled = new HashMap<>(CARD_TESTING);
        disabled.put("txwatch.risk.typologies.card-testing.enabled", "false");

        assertThat(assessor(disabled).assess(List.of(
                evidence(AnomalyType.VELOCITY, "t-1", 0.5), evidence(AnomalyType.FAILED_PAYMENT_BURST, "t-1", 0.5))))
                .isEmpty();
    }

    @Test
    void aTypologyWeighingNoKnownKindIsRefusedAtStart() {
        Map<String, String> typo = new HashMap<>(CARD_TESTING);
        typo.put("txwatch.risk.typologies.card-testing.weights.VELOSITY", "1.0");

        assertThatThrownBy(() -> assessor(typo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOSITY");
    }
}
