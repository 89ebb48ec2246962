package io.txwatch.window;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How windows treat time, shared by every per-event detector. */
@ConfigMapping(prefix = "txwatch.windows")
public interface WindowConfig {

    /**
     * How far behind the newest event of the same entity (customer, product) an event may be and still count in
     * its windows. Later ones are counted in {@code txwatch_events_late_total}, stored, but left out of windows.
     */
    @WithDefault("PT10M")
    Duration allowedLateness();

    /**
     * Extra time a window's Redis keys live after their last event, on top of the window length: keys follow
     * event time, their expiry follows the wall clock, so this margin keeps a slow replay's windows intact.
     * Expiry is refreshed once per half of this in event time, not on every event, so a key lives at least half
     * of it after its last event.
     */
    @WithDefault("PT1H")
    Duration idleRetention();

    /**
     * How long a pipeline waits for Redis's replies. A pipeline still unanswered then fails, and the batch it serves is
     * retried, so a reply that never comes (a dropped connection, a fault in the client) cannot stall consumption.
     */
    @WithDefault("PT10S")
    Duration replyTimeout();

    /** Prefix of every key; the part in braces is the entity, which keeps one entity's keys in one cluster slot. */
    @WithDefault("txw")
    String keyPrefix();

    default String customerKey(String customerId, String window) {
        return keyPrefix() + ":{c:" + customerId + "}:" + window;
    }

    default String productKey(String sku, String window) {
        return keyPrefix() + ":{p:" + sku + "}:" + window;
    }

    default String shopKey(String name) {
        return keyPrefix() + ":{shop}:" + name;
    }

    /** How much event time passes between two refreshes of a key's expiry. */
    default long expiryRefreshMillis() {
        return Math.max(1, idleRetention().toMillis() / 2);
    }

    /** Time-to-live of keys that hold a window of this length. */
    default long ttlMillis(Duration window) {
        return window.plus(allowedLateness()).plus(idleRetention()).toMillis();
    }
}
