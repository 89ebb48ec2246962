package io.txwatch.simulate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.txwatch.event.TransactionEventJson;
import io.txwatch.simulate.Catalog.Product;

/**
 * Publishes a simulated shop to Kafka on a thread of its own: first its catalog, then its transactions with their
 * ground truth in headers that detectors never read. An event is published no earlier than its event time and no
 * faster than the configured rate, so a stream that starts in the past replays that history compressed in time, then
 * continues live.
 */
public final class StreamPublisher implements AutoCloseable {

    /** The {@code AnomalyType} an event was injected as; absent on clean events. */
    public static final String LABEL_HEADER = "txwatch-label";
    /** The injected incident an event belongs to; the events of one burst or volume shock share it. */
    public static final String INCIDENT_HEADER = "txwatch-incident";
    /** For SALES_VOLUME: the shocked period of event time, {@code <start>/<end>} as ISO-8601 instants. */
    public static final String PERIOD_HEADER = "txwatch-period";
    /** For SALES_VOLUME: OUTAGE, DROP or SPIKE. */
    public static final String SHOCK_HEADER = "txwatch-shock";

    private static final Logger LOG = Logger.getLogger(StreamPublisher.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Duration LONGEST_CATALOG_WAIT = Duration.ofSeconds(60);
    private static final Duration CATALOG_CHECK_EVERY = Duration.ofMillis(100);
    /** Waits are cut into slices this long at most, so that no wait outlives a clock change by much. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_CATCH_UP = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Where to publish, how fast, and how much; an empty {@code maxEvents} publishes for ever. */
    public record Settings(String catalogTopic, String transactionsTopic, int eventsPerSecond, OptionalLong maxEvents) {

        public Settings {
            if (catalogTopic == null || catalogTopic.isBlank() || transactionsTopic == null || transactionsTopic.isBlank()) {
                throw new IllegalArgumentException("both topics are required");
            }
            if (eventsPerSecond < 1) {
                throw new IllegalArgumentException("the rate must be at least 1 event per second");
            }
            if (maxEvents.isPresent() && maxEvents.getAsLong() < 0) {
                throw new IllegalArgumentException("the event limit must not be negative");
            }
        }

        /** The defaults of {@code txwatch.simulator.*}. */
        public static Settings defaults() {
            return new Settings("catalog", "transactions", 200, OptionalLong.empty());
        }
    }

    private final Producer<String, byte[]> producer;
    private final TransactionStream stream;
    private final Settings settings;
    private final Duration interval;
    private final Thread thread;
    /** Counted down to end the publishing early: on close, or on a failed send. */
    private final CountDownLatch halt = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long published;
    private final BooleanSupplier catalogApplied;

    public StreamPublisher(Producer<String, byte[]> producer, TransactionStream stream, Settings settings) {
        this(producer, stream, settings, () -> true);
    }

    /**
     * @param catalogApplied whether the consumer of the stream holds the published catalog: transactions wait for
     *        it (a minute at most), so that the first ones are not judged without their products
     */
    public StreamPublisher(Producer<String, byte[]> producer, TransactionStream stream, Settings settings,
            BooleanSupplier catalogApplied) {
        this.catalogApplied = catalogApplied;
        this.producer = producer;
        this.stream = stream;
        this.settings = settings;
        this.interval = Duration.ofNanos(1_000_000_000L / settings.eventsPerSecond());
        this.thread = new Thread(this::publish, "txwatch-simulator");
        this.thread.setDaemon(true);
    }

    /** A producer for the simulator, with the serializers its records need. */
    public static KafkaProducer<String, byte[]> connect(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "txwatch-simulator",
                // Batches the replay of history, where events leave back to back.
                ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** One sentence on what this publisher does, for the log of whoever starts it. */
    public String describe(String bootstrapServers) {
        StreamSettings stream = this.stream.settings();
        return "Simulating a shop on Kafka %s: %d catalog products to topic '%s', then transactions to topic '%s' "
                .formatted(bootstrapServers, this.stream.catalog().products().size(), settings.catalogTopic(),
                        settings.transactionsTopic())
                + "(seed %d, %d customers, %s events/min at peak, %s %% injected anomalies%s), ".formatted(stream.seed(),
                        stream.customers(), plain(BigDecimal.valueOf(stream.peakEventsPerMinute())),
                        plain(BigDecimal.valueOf(stream.anomalyRate()).movePointRight(2)),
                        stream.shocks() ? " plus sales volume shocks" : "")
                + "replaying event time from %s at up to %d events/s, then live%s; ground truth in headers %s, %s, %s, %s"
                        .formatted(stream.start(), settings.eventsPerSecond(),
                                settings.maxEvents().isPresent() ? ", " + settings.maxEvents().getAsLong() + " events in all" : "",
                                LABEL_HEADER, INCIDENT_HEADER, PERIOD_HEADER, SHOCK_HEADER);
    }

    public void start() {
        thread.start();
    }

    /** Waits until publishing has ended (event limit reached, closed, or failed); false if it failed. */
    public boolean awaitCompletion() throws InterruptedException {
        finished.await();
        return failure.get() == null;
    }

    public long published() {
        return published;
    }

    /** Stops publishing, sends what is pending and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        halt.countDown();
        try {
            if (thread.isAlive()) {
                thread.join(CLOSE_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    /**
     * When an event may be published: not before its event time, since a consumer must never see the future, and not
     * sooner than one interval after the previous one, which caps the rate.
     */
    static Instant releaseAt(Instant eventTime, Instant previousRelease, Duration interval) {
        Instant earliest = previousRelease.plus(interval);
        return eventTime.isAfter(earliest) ? eventTime : earliest;
    }

    public static ProducerRecord<String, byte[]> catalogRecord(String topic, Product product) {
        ObjectNode json = JSON.createObjectNode();
        json.put("sku", product.sku());
        json.put("name", product.name());
        json.put("category", product.category());
        json.put("listPrice", product.catalogPrice());
        json.put("currency", product.currency());
        try {
            return new ProducerRecord<>(topic, product.sku(), JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A catalog product could not be written as JSON", e);
        }
    }

    public static ProducerRecord<String, byte[]> eventRecord(String topic, SimulatedEvent simulated) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, simulated.event().customer().id(),
                TransactionEventJson.write(simulated.event()));
        Headers headers = record.headers();
        simulated.label().ifPresent(label -> {
            headers.add(LABEL_HEADER, utf8(label.type().name()));
            headers.add(INCIDENT_HEADER, utf8(label.incidentId()));
            label.shock().ifPresent(shock -> {
                headers.add(PERIOD_HEADER, utf8(shock.period()));
                headers.add(SHOCK_HEADER, utf8(shock.kind().name()));
            });
        });
        return record;
    }

    /** 120 rather than 120.0. */
    private static String plain(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void publish() {
        try {
            for (Product product : stream.catalog().products()) {
                send(catalogRecord(settings.catalogTopic(), product));
            }
            // The catalog is in place before the first transaction refers to it.
            producer.flush();
            awaitCatalogApplied();
            publishEvents();
            producer.flush();
            if (failure.get() != null) {
                LOG.errorf(failure.get(), "The simulator stopped after %d events: Kafka refused a record", published);
            } else {
                LOG.infof("The simulator stopped after %d events", published);
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            LOG.errorf(e, "The simulator stopped after %d events", published);
        } finally {
            finished.countDown();
        }
    }

    private void publishEvents() {
        Instant previous = Instant.now().minus(interval);
        Instant nextReport = Instant.now().plus(PROGRESS_EVERY);
        boolean live = false;
        while (!halted() && (settings.maxEvents().isEmpty() || published < settings.maxEvents().getAsLong())) {
            SimulatedEvent simulated = stream.next();
            Instant eventTime = simulated.event().occurredAt();
            if (!live && eventTime.isAfter(Instant.now())) {
                live = true;
                LOG.infof("The simulator has replayed its history (%d events) and now publishes live", published);
            }
            Instant release = releaseAt(eventTime, previous, interval);
            if (!waitUntil(release)) {
                return;
            }
            send(eventRecord(settings.transactionsTopic(), simulated));
            published++;
            // The schedule, not the moment of sending, sets the next release, or the time each send and wake-up takes
            // would slow the rate (1,500 a second came out as 1,100); after a stall it catches up a second at most.
            Instant now = Instant.now();
            Instant catchUpFrom = now.minus(LONGEST_CATCH_UP);
            previous = release.isBefore(catchUpFrom) ? catchUpFrom : release;
            if (now.isAfter(nextReport)) {
                nextReport = now.plus(PROGRESS_EVERY);
                LOG.infof("The simulator has published %d events, up to event time %s", published, eventTime);
            }
        }
    }

    private void awaitCatalogApplied() {
        Instant giveUpAt = Instant.now().plus(LONGEST_CATALOG_WAIT);
        while (!catalogApplied.getAsBoolean() && waitUntil(Instant.now().plus(CATALOG_CHECK_EVERY))) {
            if (Instant.now().isAfter(giveUpAt)) {
                LOG.warnf("The catalog was not applied within %s; publishing transactions anyway", LONGEST_CATALOG_WAIT);
                return;
            }
        }
    }

    private boolean halted() {
        return halt.getCount() == 0;
    }

    /** Waits until the wall clock reaches {@code release}; false if halted first. */
    private boolean waitUntil(Instant release) {
        try {
            while (true) {
                Duration wait = Duration.between(Instant.now(), release);
                if (wait.isNegative() || wait.isZero()) {
                    return !halted();
                }
                Duration slice = wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
                if (halt.await(slice.toNanos(), TimeUnit.NANOSECONDS)) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        producer.send(record, (metadata, error) -> {
            if (error != null && failure.compareAndSet(null, error)) {
                halt.countDown();
            }
        });
    }
}
