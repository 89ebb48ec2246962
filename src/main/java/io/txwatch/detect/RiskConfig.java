package io.txwatch.detect;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How signals become alarms beyond each detector's own thresholds. The shipped typologies are set in
 * {@code application.properties} (a map has no defaults of its own) and listed in the README.
 */
@ConfigMapping(prefix = "txwatch.risk")
public interface RiskConfig {

    /**
     * Observations below their detector's thresholds are kept as evidence from this strength up (0.2: about once
     * in sixteen); weaker ones are dropped at once.
     */
    @WithDefault("0.2")
    double signalFloor();

    /** Named combinations of signals that raise one alarm together, by name (for example {@code card-testing}). */
    Map<String, TypologyConfig> typologies();

    interface TypologyConfig {

        @WithDefault("true")
        boolean enabled();

        /** What it means, in a few words an analyst reads in the alarm's sentence. */
        String description();

        /** The anomaly types whose signals it combines, each with the weight its strength counts with. */
        Map<String, Double> weights();

        /**
         * Raise the alarm when the weighted strengths of its signals on one event add up to at least this (strengths
         * add because the surprises of independent signals multiply).
         */
        @WithDefault("0.7")
        double threshold();

        /** ...and at least this many of its kinds signalled. */
        @WithDefault("2")
        int minSignals();
    }
}
