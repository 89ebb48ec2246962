package io.txwatch.catalog;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.txwatch.event.FieldViolation;

/**
 * Reads the compacted {@code catalog} topic from its beginning (each replica in a consumer group of its
 * own), so that every replica's cache sees every product: key = sku, value = product JSON, no value = removed.
 * Created at start, so that its count of rejected records is exported from zero.
 */
@Startup
@ApplicationScoped
public class CatalogTopicListener {

    private static final Logger LOG = Logger.getLogger(CatalogTopicListener.class);

    private final CatalogService catalog;
    private final CatalogAtStart atStart;
    private final ObjectMapper json;
    private final Counter rejected;

    public CatalogTopicListener(CatalogService catalog, CatalogAtStart atStart, ObjectMapper json, MeterRegistry registry) {
        this.catalog = catalog;
        this.atStart = atStart;
        this.json = json;
        this.rejected = Counter.builder("txwatch.catalog.rejected")
                .description("Catalog topic records skipped because they are not a valid product").register(registry);
    }

    /**
     * A whole poll at a time: a fresh replica reads the catalog in a few polls and has it in its cache at once,
     * instead of after one database write per product.
     */
    @Incoming("catalog")
    public Uni<Void> onProducts(ConsumerRecords<String, byte[]> records) {
        Map<String, Optional<CatalogProduct>> latestBySku = new LinkedHashMap<>();
        Map<Integer, Long> nextOffsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            nextOffsets.merge(record.partition(), record.offset() + 1, Math::max);
            if (record.value() == null) {
                if (record.key() != null) {
                    latestBySku.put(record.key(), Optional.empty());
                }
                continue;
            }
            read(record).ifPresent(product -> latestBySku.put(product.sku(), Optional.of(product)));
        }
        return catalog.apply(latestBySku).invoke(() -> nextOffsets.forEach(atStart::applied));
    }

    private Optional<CatalogProduct> read(ConsumerRecord<String, byte[]> record) {
        CatalogProduct product;
        try {
            product = json.readValue(record.value(), CatalogProduct.class);
        } catch (IOException e) {
            return skip(record, "not a product JSON: " + e.getMessage());
        }
        List<FieldViolation> violations = CatalogProductValidator.violations(product, "");
        if (!violations.isEmpty()) {
            return skip(record, violations.toString());
        }
        return Optional.of(CatalogProductValidator.normalised(product));
    }

    private Optional<CatalogProduct> skip(ConsumerRecord<String, byte[]> record, String reason) {
        rejected.increment();
        LOG.warnf("Skipped catalog record %s at %s-%d@%d: %s", record.key(), record.topic(), record.partition(),
                record.offset(), reason);
        return Optional.empty();
    }
}
