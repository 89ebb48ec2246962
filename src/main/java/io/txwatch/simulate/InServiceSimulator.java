package io.txwatch.simulate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.catalog.CatalogCache;

/**
 * Runs the demo stream simulator inside the service when {@code txwatch.simulator.enabled=true}, publishing to the
 * service's own Kafka, so that a demo needs nothing but the service.
 */
@ApplicationScoped
public class InServiceSimulator {

    private static final Logger LOG = Logger.getLogger(InServiceSimulator.class);

    private final SimulatorConfig config;
    private final String bootstrapServers;
    private final CatalogCache catalog;
    private StreamPublisher publisher;

    InServiceSimulator(SimulatorConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            CatalogCache catalog) {
        this.config = config;
        this.catalog = catalog;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        Instant start = config.start().orElseGet(() -> Instant.now().minus(config.history()).truncatedTo(ChronoUnit.SECONDS));
        TransactionStream stream = new TransactionStream(streamSettings(start));
        // the service reads the catalog and the transactions side by side: its cache must hold the products first
        publisher = new StreamPublisher(StreamPublisher.connect(bootstrapServers), stream,
                new StreamPublisher.Settings(config.topics().catalog(), config.topics().transactions(), config.rate(),
                        config.events()),
                () -> stream.catalog().products().stream().allMatch(product -> catalog.find(product.sku()).isPresent()));
        LOG.info(publisher.describe(bootstrapServers));
        publisher.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (publisher != null) {
            publisher.close();
        }
    }

    private StreamSettings streamSettings(Instant start) {
        SimulatorConfig.Mix mix = config.mix();
        Map<AnomalyType, Double> weights = new EnumMap<>(AnomalyType.class);
        weights.put(AnomalyType.PRICE_VS_CATALOG, mix.priceVsCatalog());
        weights.put(AnomalyType.PRICE_VS_RECENT, mix.priceVsRecent());
        weights.put(AnomalyType.VELOCITY, mix.velocity());
        weights.put(AnomalyType.FAILED_PAYMENT_BURST, mix.failedPaymentBurst());
        weights.put(AnomalyType.HIGH_AMOUNT, mix.highAmount());
        weights.put(AnomalyType.UNUSUAL_HOUR, mix.unusualHour());
        weights.put(AnomalyType.IMPOSSIBLE_TRAVEL, mix.impossibleTravel());
        weights.put(AnomalyType.BULK_QUANTITY, mix.bulkQuantity());
        return new StreamSettings(config.seed(), start, config.customers(), config.products(), config.peakEventsPerMinute(),
                config.failureRate(), config.anomalyRate(), weights, config.currency(), config.shocks().enabled(),
                config.shocks().meanInterval(), config.shocks().warmUp(), config.profile());
    }
}
