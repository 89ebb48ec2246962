package io.txwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The common scale: surprisal of the tail probability in sixths of a million, whatever the kind of observation. */
class StrengthTest {

    @Test
    void aTailProbabilityMapsToItsDecadesOverSix() {
        assertThat(Strength.ofTail(1e-3)).isCloseTo(0.5, within(1e-9));
        assertThat(Strength.ofTail(1e-6)).isCloseTo(1.0, within(1e-9));
        assertThat(Strength.ofTail(1e-9)).as("rarer than once in a million is certain").isEqualTo(1.0);
        assertThat(Strength.ofTail(0.5)).isCloseTo(0.05, within(0.001));
        assertThat(Strength.ofTail(1)).isZero();
        assertThat(Strength.ofTail(0)).isEqualTo(1.0);
    }

    @Test
    void aZScoreGoesThroughTheNormalTail() {
        assertThat(Strength.normalUpperTail(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Strength.normalUpperTail(1.959964)).isCloseTo(0.025, within(1e-6));
        assertThat(Strength.normalUpperTail(3)).isCloseTo(0.0013499, within(1e-7));
        assertThat(Strength.ofZ(4)).isCloseTo(-Math.log10(3.1671e-5) / 6, within(1e-4));
        assertThat(Strength.ofZ(-2)).as("below the baseline is no surprise upwards").isZero();
        assertThat(Strength.ofZ(Double.NaN)).isZero();
    }

    @Test
    void aCountGoesThroughThePoissonTail() {
        // P(X >= 3 | 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125)
        double tail = 1 - Math.exp(-0.5) * 1.625;
        assertThat(Strength.ofCount(3, 0.5)).isCloseTo(-Math.log10(tail) / 6, within(1e-9));
        assertThat(Strength.ofCount(1, 2)).as("at or below the usual count").isZero();
        assertThat(Strength.ofCount(40, 0.5)).as("far in the tail, where 1 - P(X < n) loses every digit").isEqualTo(1.0);
        assertThat(Strength.ofCount(6, 0.5)).isGreaterThan(Strength.ofCount(5, 0.5));
    }

    @Test
    void aRuleAtItsThresholdIsFourSpreads() {
        assertThat(Strength.ofRule(1)).isEqualTo(Strength.ofZ(4));
        assertThat(Strength.ofRule(0.5)).isEqualTo(Strength.ofZ(2));
        assertThat(Strength.ofRule(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    }
}
