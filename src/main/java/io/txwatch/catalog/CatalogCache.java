package io.txwatch.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The whole catalog in memory, so that scoring an event never waits for the database. It is filled from
 * PostgreSQL at start and kept current by the {@code catalog} topic, which every replica reads in full.
 */
@ApplicationScoped
public class CatalogCache {

    private final Map<String, CatalogProduct> productsBySku = new ConcurrentHashMap<>();

    public CatalogCache(MeterRegistry registry) {
        Gauge.builder("txwatch.catalog.products", productsBySku, Map::size)
                .description("Products in the in-memory catalog").register(registry);
    }

    public Optional<CatalogProduct> find(String sku) {
        return Optional.ofNullable(productsBySku.get(sku));
    }

    /** Products in sku order, starting after {@code afterSku} (exclusive) when given. */
    public List<CatalogProduct> list(String afterSku, int limit) {
        return productsBySku.values().stream()
                .filter(product -> afterSku == null || product.sku().compareTo(afterSku) > 0)
                .sorted(Comparator.comparing(CatalogProduct::sku))
                .limit(limit)
                .toList();
    }

    void put(CatalogProduct product) {
        productsBySku.put(product.sku(), product);
    }

    void remove(String sku) {
        productsBySku.remove(sku);
    }

    boolean holds(CatalogProduct product) {
        return product.equals(productsBySku.get(product.sku()));
    }
}
