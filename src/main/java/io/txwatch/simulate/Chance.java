package io.txwatch.simulate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The few distributions the simulation draws from. Built on {@link SplittableRandom} and {@link StrictMath} only,
 * so that one seed yields the same stream on every JVM and platform.
 */
final class Chance {

    private Chance() {
    }

    static double between(SplittableRandom random, double low, double high) {
        return low + random.nextDouble() * (high - low);
    }

    /** A waiting time of a Poisson process with the given events per unit of time. */
    static double exponential(SplittableRandom random, double rate) {
        return -StrictMath.log(1.0 - random.nextDouble()) / rate;
    }

    /** Log-uniform: as likely to land between 100 and 200 as between 1,000 and 2,000, like prices do. */
    static double logUniform(SplittableRandom random, double low, double high) {
        return StrictMath.exp(between(random, StrictMath.log(low), StrictMath.log(high)));
    }

    /**
     * Log-normal around a median, clipped to [low, high]. The normal draw is the Irwin-Hall sum of twelve uniforms:
     * bounded, platform-independent and close enough to Gaussian for spending habits.
     */
    static double logNormal(SplittableRandom random, double median, double sigma, double low, double high) {
        double normal = -6.0;
        for (int i = 0; i < 12; i++) {
            normal += random.nextDouble();
        }
        return Math.min(high, Math.max(low, median * StrictMath.exp(sigma * normal)));
    }

    static <T> T oneOf(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Index {@code i} with probability {@code weights[i] / sum(weights)}; the weights need not sum to 1. */
    static int weighted(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double target = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            target -= weights[i];
            if (target < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
