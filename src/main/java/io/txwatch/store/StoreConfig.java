package io.txwatch.store;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What txwatch keeps in PostgreSQL, and for how long. */
@ConfigMapping(prefix = "txwatch.store")
public interface StoreConfig {

    /** Keep every raw transaction (table {@code transaction}); off keeps only anomalies and the dedup ledger. */
    @WithDefault("true")
    boolean rawTransactions();

    Retention retention();

    /**
     * Rows stored longer ago than these ages are deleted, a few thousand at a time, by a timer apart from consumption.
     * Ages count from when txwatch stored a row, not from its event time, so that a replay of old events is kept too.
     */
    interface Retention {

        /**
         * The processed-id ledger, by when each id was processed: an event redelivered or replayed within this time is
         * recognised and not processed again. Keep it above the {@code transactions} topic's retention ({@code retention.ms},
         * Kafka's default is 7 days), the longest a redelivery can come after the first delivery.
         */
        @WithDefault("P14D")
        Duration ledger();

        /** Raw transactions, by when they were stored. */
        @WithDefault("P30D")
        Duration transactions();

        /** Anomalies, by when they were detected. */
        @WithDefault("P365D")
        Duration anomalies();

        /** How often each replica purges (one replica at a time does, the others find the work taken). */
        @WithDefault("1m")
        String every();

        /** Rows deleted per statement, so that a purge never holds locks for long... */
        @WithDefault("5000")
        int batchSize();

        /** ...and at most this many statements per table and run; what is left waits for the next run. */
        @WithDefault("20")
        int batchesPerRun();
    }
}
