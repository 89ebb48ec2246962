package io.txwatch.catalog;

import io.micrometer.core.instrument.MeterRegistry;

/** A catalog cache filled by hand, for detector tests that need no database. */
public final class TestCatalog {

    private TestCatalog() {
    }

    public static CatalogCache with(MeterRegistry registry, CatalogProduct... products) {
        CatalogCache cache = new CatalogCache(registry);
        for (CatalogProduct product : products) {
            cache.put(product);
        }
        return cache;
    }

    /** Puts a product straight into a running service's cache, as if it had come from the catalog topic. */
    public static void add(CatalogCache cache, CatalogProduct product) {
        cache.put(product);
    }
}
