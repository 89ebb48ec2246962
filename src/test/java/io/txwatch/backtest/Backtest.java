package io.txwatch.backtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.txwatch.localinfra.CloseOnExit;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.ServiceProcess;
import io.txwatch.simulate.StreamPublisher;

/**
 * The backtest: a user's own events (JSON lines or CSV) replayed through the real pipeline (the packaged service on
 * local Kafka, Redis and PostgreSQL, in event-time order), then what txwatch would have raised, per kind and
 * typology, with the share of events flagged, the highest-risk anomalies and, given a label column, precision and
 * recall. Prints a
 * table and writes it as JSON to {@code target/backtest/backtest.json}.
 * <p>
 * Settings, as system properties: {@code backtest.file} (required), {@code backtest.catalog} (a catalog CSV to
 * import first), {@code backtest.label} (the column, or JSON field, marking true anomalies),
 * {@code backtest.column.<field>=<column>} (the CSV column of an event field, when not named as the field),
 * {@code backtest.default.<field>=<value>} (a value for a field the file lacks), {@code backtest.config.<key>=<value>}
 * (service configuration, such as a threshold to try). Fields are listed in {@link EventFile#FIELDS}.
 */
public final class Backtest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLED_AFTER = Duration.ofSeconds(30);
    private static final int REASONS_SHOWN = 5;

    private final Path serviceJar;
    private final Path file;
    private final Optional<Path> catalog;
    private final EventFile.Mapping mapping;
    private final Map<String, String> serviceConfig;
    private final Path output;
    private final CloseOnExit running = new CloseOnExit("backtest");

    Backtest(Path serviceJar, Path file, Optional<Path> catalog, EventFile.Mapping mapping, Map<String, String> serviceConfig) {
        this.serviceJar = serviceJar;
        this.file = file;
        this.catalog = catalog;
        this.mapping = mapping;
        this.serviceConfig = serviceConfig;
        this.output = serviceJar.toAbsolutePath().getParent().getParent().resolve("backtest");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("Usage: Backtest <path to quarkus-run.jar>");
        }
        String file = System.getProperty("backtest.file");
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalArgumentException("Name a file of events to replay: -Dbacktest.file=<events.jsonl or .csv> (got "
                    + file + ")");
        }
        Properties properties = System.getProperties();
        EventFile.Mapping mapping = new EventFile.Mapping(prefixed(properties, "backtest.column."),
                prefixed(properties, "backtest.default."), Optional.ofNullable(System.getProperty("backtest.label")));
        BacktestReport report = new Backtest(Path.of(args[0]), Path.of(file),
                Optional.ofNullable(System.getProperty("backtest.catalog")).map(Path::of), mapping,
                prefixed(properties, "backtest.config.")).run();
        System.out.println("\n" + report.table());
        // Kafka's client threads are not all daemons; the backtest is over
        System.exit(0);
    }

    private static Map<String, String> prefixed(Properties properties, String prefix) {
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith(prefix))
                .forEach(name -> values.put(name.substring(prefix.length()), properties.getProperty(name)));
        return values;
    }

    BacktestReport run() throws Exception {
        Files.createDirectories(output);
        List<EventFile.Event> events = EventFile.read(file, mapping);
        System.out.printf("Backtest of %s: %,d events, %s to %s%n", file, events.size(),
                events.stream().flatMap(event -> event.occurredAt().stream()).min(Comparator.naturalOrder()).orElse(null),
                events.stream().flatMap(event -> event.occurredAt().stream()).max(Comparator.naturalOrder()).orElse(null));
        try (LocalInfrastructure servers = running.track(LocalInfrastructure.start())) {
            Map<String, String> config = new HashMap<>(servers.serviceConfig());
            config.put("quarkus.http.host", "127.0.0.1");
            config.putAll(serviceConfig);
            try (ServiceProcess service = running.track(ServiceProcess.start(serviceJar, List.of(), config,
                    Optional.of(output.resolve("txwatch.log"))))) {
                servers.stopWithServers(service.handle());
                service.awaitReady(Duration.ofMinutes(2));
                if (catalog.isPresent()) {
                    importCatalog(service, catalog.get());
                }
                publish(servers.kafkaBootstrapServers(), events);
                awaitHandled(service, events.size());
                long refused = Math.round(service.metrics().sum("txwatch_events_invalid_total"));
                Instant lastEvent = events.stream().flatMap(event -> event.occurredAt().stream())
                        .max(Comparator.naturalOrder()).orElse(Instant.MAX);
                BacktestReport report = BacktestReport.of(events, refused,
                        refusalReasons(servers.kafkaBootstrapServers(), refused), anomalies(service, lastEvent));
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("file", file.toString());
                json.put("finishedAt", Instant.now().toString());
                json.put("serviceConfig", serviceConfig);
                json.put("report", report);
                JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.resolve("backtest.json").toFile(), json);
                System.out.println("JSON: " + output.resolve("backtest.json"));
                return report;
            }
        }
    }

    private static void importCatalog(ServiceProcess service, Path csv) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(service.baseUrl() + "/api/v1/catalog/products/import"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalArgumentException("The catalog " + csv + " was refused: " + response.body());
        }
        System.out.println("Catalog imported from " + csv);
    }

    /** In event-time order, each keyed by its customer, as a shop publishes them. */
    private void publish(String bootstrapServers, List<EventFile.Event> events) throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, byte[]> producer = StreamPublisher.connect(bootstrapServers)) {
            for (EventFile.Event event : events) {
                producer.send(new ProducerRecord<>("transactions", event.customerId(), event.json()));
            }
            producer.flush();
        }
        System.out.printf("Published %,d events%n", events.size());
    }

    /** Until every event is processed or refused, or nothing has moved for a while (an id repeated in the file). */
    private static void awaitHandled(ServiceProcess service, int published) throws InterruptedException {
        double handled = -1;
        long unchangedSince = System.nanoTime();
        while (true) {
            Thread.sleep(2_000);
            double now = service.metrics().handledEvents();
            if (now >= published) {
                return;
            }
            if (now != handled) {
                handled = now;
                unchangedSince = System.nanoTime();
                System.out.printf("%,.0f of %,d events handled%n", now, published);
            } else if (System.nanoTime() - unchangedSince > SETTLED_AFTER.toNanos()) {
                System.out.printf("%,.0f of %,d events handled, and no more for %s: going on%n", now, published, SETTLED_AFTER);
                return;
            }
        }
    }

    /** The most frequent reasons in the dead-letter topic, with their counts. */
    private static List<String> refusalReasons(String bootstrapServers, long refused) {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("transactions.dlq").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < refused && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    read++;
                    Header reason = record.headers().lastHeader("dead-letter-reason");
                    counts.merge(reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(REASONS_SHOWN).map(entry -> entry.getValue() + " × " + entry.getKey()).toList();
    }

    /**
     * Every anomaly stored, but sales-volume ones that start after the file's last event: the silence after a replay
     * is not the shop's.
     */
    private static List<BacktestReport.Served> anomalies(ServiceProcess service, Instant lastEvent) {
        return service.anomalies().stream().filter(item -> !Instant.parse((String) item.get("occurredAt")).isAfter(lastEvent))
                .map(BacktestReport.Served::of).toList();
    }
}
