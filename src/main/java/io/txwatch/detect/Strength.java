package io.txwatch.detect;

/**
 * The common scale of signal strength, in [0, 1]: how surprising an observation is under its baseline, as the
 * surprisal of its tail probability {@code p} in units of six decimal orders, {@code min(1, -log10(p) / 6)}. A
 * strength of 0.5 means "this extreme once in a thousand", 1 means once in a million or rarer. Since independent
 * surprises multiply their probabilities, strengths of signals that coincide add up, which is how a
 * {@link Typology} combines them.
 */
public final class Strength {

    private static final double DECADES_TO_CERTAINTY = 6;

    /** Where a rule's threshold sits on this scale: as surprising as four spreads above a baseline (0.75). */
    private static final double RULE_THRESHOLD_SPREADS = 4;

    private Strength() {
    }

    /** Strength of an observation with this tail probability. */
    public static double ofTail(double probability) {
        if (!(probability < 1)) {
            return 0;
        }
        if (probability <= 0) {
            return 1;
        }
        return clamp(-Math.log10(probability) / DECADES_TO_CERTAINTY);
    }

    /** Strength of an observation this many (robust) spreads above its baseline, by the normal upper tail. */
    public static double ofZ(double z) {
        if (Double.isNaN(z) || z <= 0) {
            return 0;
        }
        return ofTail(normalUpperTail(z));
    }

    /**
     * Strength of a rule without a statistical baseline (a limit, a list price, a travel speed): an observation at
     * the rule's threshold counts as four spreads, and beyond it in proportion; {@code ratio} is observation over
     * threshold.
     */
    public static double ofRule(double ratio) {
        return Double.isInfinite(ratio) ? 1 : ofZ(ratio * RULE_THRESHOLD_SPREADS);
    }

    /**
     * Strength of seeing at least {@code observed} events where {@code expected} are usual (Poisson tail); none at or
     * below the usual count.
     */
    public static double ofCount(long observed, double expected) {
        if (observed <= 0) {
            return 0;
        }
        if (expected <= 0) {
            return 1;
        }
        if (observed <= expected) {
            return 0;
        }
        // above the mean the terms of P(X >= observed) fall off at once, so summing them upwards is exact where
        // 1 - P(X < observed) would lose every digit
        double logTerm = -expected + observed * Math.log(expected) - logFactorial(observed);
        double tail = 0;
        for (long k = observed; k < observed + 1000; k++) {
            double term = Math.exp(logTerm);
            tail += term;
            if (term < tail * 1e-12) {
                break;
            }
            logTerm += Math.log(expected / (k + 1));
        }
        return ofTail(tail);
    }

    private static double logFactorial(long n) {
        double sum = 0;
        for (long k = 2; k <= n; k++) {
            sum += Math.log(k);
        }
        return sum;
    }

    /** P(Z > z) for a standard normal, from the complementary error function (relative error below 1.2e-7). */
    static double normalUpperTail(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                        + t * 0.17087277)))))))));
        return (x >= 0 ? erfc : 2 - erfc) / 2;
    }

    private static double clamp(double strength) {
        return Math.max(0, Math.min(1, strength));
    }
}
