package io.txwatch.ingest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the consumer retries, gives up on an event, and tells that it is stuck. */
@ConfigMapping(prefix = "txwatch.ingest")
public interface IngestConfig {

    /** Retries of a batch's work (dead letters, scoring, persistence). */
    Retry retry();

    /**
     * Readiness reports DOWN when a batch has been in work this long without being done: consumption has made no
     * progress while there are events to consume.
     */
    @WithDefault("PT2M")
    Duration stalledAfter();

    /**
     * An event dated further ahead of the service's clock than this is refused (dead-letter topic, or 400 over HTTP):
     * it would move its partition's event time on and leave every later event late. Covers clock skew between shops
     * and the service.
     */
    @WithDefault("PT5M")
    Duration maxAhead();

    interface Retry {

        /** The wait before the first retry; each next wait doubles, with jitter... */
        @WithDefault("PT0.2S")
        Duration firstBackOff();

        /** ...up to this. A server that is away (unreachable, timing out, restarting) is waited for without end. */
        @WithDefault("PT30S")
        Duration longestBackOff();

        /**
         * Any other failure is tried this many times in all; then the batch is split to find the events at fault, which
         * go to the dead-letter topic with the failure as their reason, while the rest of the batch goes on.
         */
        @WithDefault("3")
        int attempts();
    }
}
