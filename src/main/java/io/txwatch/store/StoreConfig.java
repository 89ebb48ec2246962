package io.txwatch.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What txwatch keeps in PostgreSQL. */
@ConfigMapping(prefix = "txwatch.store")
public interface StoreConfig {

    /** Keep every raw transaction (table {@code transaction}); off keeps only anomalies and the dedup ledger. */
    @WithDefault("true")
    boolean rawTransactions();
}
