package io.txwatch.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.txwatch.localinfra.CloseOnExit;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.ServiceProcess;
import io.txwatch.simulate.StreamProfile;
import io.txwatch.simulate.StreamPublisher;
import io.txwatch.simulate.StreamSettings;
import io.txwatch.simulate.TransactionStream;

/**
 * The evaluation: a labelled simulated shop (fixed seed) published through the real pipeline (Kafka, every
 * detector on Redis, PostgreSQL), then what txwatch reported scored against what was injected, per kind. Prints a
 * table and writes it as JSON to {@code target/evaluation/evaluation.json}.
 * <p>
 * Each profile of the simulator ({@code evaluation.profiles}, default {@code default,realistic}) is evaluated in
 * turn, each on fresh servers and a fresh service, and each table printed and written.
 * <p>
 * Settings, as system properties: {@code evaluation.events} (default 1000000), {@code evaluation.span} (event time
 * they cover, P7D), {@code evaluation.rate} (events published per second at most, 1500), {@code evaluation.seed}
 * (7), {@code evaluation.customers} (5000; {@code evaluation.realistic-customers}, 50000, for the realistic profile,
 * whose shoppers mostly buy rarely), {@code evaluation.products} (1000), {@code evaluation.anomaly-rate} (0.01).
 */
public final class Evaluation {

    /** A Monday in the past, so that the whole span replays at once and the stream is the same at any hour. */
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    /**
     * Events the simulator makes in a week per event a minute of peak intensity (measured: 531,094 events in a week
     * at 100 a minute at peak), which turns the wanted number of events into a peak rate.
     */
    private static final double EVENTS_PER_WEEK_PER_PEAK_RATE = 5_311;
    /** txwatch.detectors.sales-volume.bucket, the service's default. */
    private static final Duration SALES_BUCKET = Duration.ofMinutes(1);
    /** How long buckets keep closing on the wall clock once the stream has gone silent (idle-after, then a tick). */
    private static final Duration CLOSING_TIME = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path serviceJar;
    private final CloseOnExit running = new CloseOnExit("evaluation");
    private final Path output;
    private final long events = Long.getLong("evaluation.events", 1_000_000);
    private final Duration span = Duration.parse(System.getProperty("evaluation.span", "P7D"));
    private final int rate = Integer.getInteger("evaluation.rate", 1_500);
    private final long seed = Long.getLong("evaluation.seed", 7);
    private final int customers = Integer.getInteger("evaluation.customers", 5_000);
    private final int realisticCustomers = Integer.getInteger("evaluation.realistic-customers", 50_000);
    private final List<StreamProfile> profiles = Arrays.stream(System.getProperty("evaluation.profiles", "default,realistic")
            .split(",")).map(StreamProfile::named).toList();
    private final int products = Integer.getInteger("evaluation.products", 1_000);
    private final double anomalyRate = Double.parseDouble(System.getProperty("evaluation.anomaly-rate", "0.01"));

    private Evaluation(Path serviceJar) {
        this.serviceJar = serviceJar;
        this.output = serviceJar.getParent().getParent().resolve("evaluation");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("Usage: Evaluation <path to quarkus-run.jar>");
        }
        Evaluation evaluation = new Evaluation(Path.of(args[0]));
        for (StreamProfile profile : evaluation.profiles) {
            evaluation.run(profile);
        }
        // Kafka's client threads are not all daemons; the evaluation is over
        System.exit(0);
    }

    private void run(StreamProfile profile) throws Exception {
        Files.createDirectories(output);
        String name = profile.name().toLowerCase(Locale.ROOT);
        System.out.printf("%nEvaluating the %s profile%n", name);
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StreamSettings settings = streamSettings(profile);
        try (LocalInfrastructure servers = running.track(LocalInfrastructure.start())) {
            Map<String, String> config = new HashMap<>(servers.serviceConfig());
            config.put("quarkus.http.host", "127.0.0.1");
            config.putAll(ReportingCurrency.of(settings));
            try (ServiceProcess service = running.track(ServiceProcess.start(serviceJar, List.of(), config,
                    Optional.of(output.resolve("txwatch-" + name + ".log"))))) {
                servers.stopWithServers(service.handle());
                service.awaitReady(Duration.ofMinutes(2));
                publish(servers.kafkaBootstrapServers(), settings, service);
                System.out.printf("All %,d events handled; letting the last buckets close on the wall clock%n", events);
                Thread.sleep(CLOSING_TIME.toMillis());
                List<Scorecard.Detected> reported = service.anomalies().stream().map(Scorecard.Detected::of).toList();
                List<Scorecard.Truth> truths = truths(servers.kafkaBootstrapServers());
                Scorecard.Result result = new Scorecard(truths, SALES_BUCKET).score(reported);
                String table = result.table();
                System.out.println("\nProfile " + name + ":\n" + table);
                result.falsePositives().stream().limit(20).forEach(explanation -> System.out.println("false positive: " + explanation));
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("startedAt", startedAt.toString());
                report.put("settings", Map.of("profile", name, "events", events, "span", span.toString(), "seed", seed,
                        "customers", settings.customers(), "products", products, "anomalyRate", anomalyRate, "publishRate", rate,
                        "peakEventsPerMinute", settings.peakEventsPerMinute(), "start", START.toString()));
                report.put("result", result);
                Path json = output.resolve("evaluation-" + name + ".json");
                JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
                System.out.println("JSON: " + json);
            }
        }
    }

    private StreamSettings streamSettings(StreamProfile profile) {
        StreamSettings defaults = StreamSettings.defaults(START);
        double weeks = (double) span.toMillis() / Duration.ofDays(7).toMillis();
        double peakPerMinute = events / (EVENTS_PER_WEEK_PER_PEAK_RATE * weeks);
        return new StreamSettings(seed, START, profile == StreamProfile.REALISTIC ? realisticCustomers : customers, products,
                peakPerMinute, defaults.failureRate(), anomalyRate, defaults.anomalyMix(), defaults.currency(), true,
                defaults.shockMeanInterval(), defaults.shockWarmUp(), profile);
    }

    /** Publishes the stream and waits until txwatch has handled every event, reporting progress. */
    private void publish(String bootstrapServers, StreamSettings settings, ServiceProcess service) throws InterruptedException {
        StreamPublisher publisher = running.track(new StreamPublisher(StreamPublisher.connect(bootstrapServers),
                new TransactionStream(settings), new StreamPublisher.Settings("catalog", "transactions", rate,
                        OptionalLong.of(events))));
        System.out.println(publisher.describe(bootstrapServers));
        publisher.start();
        long begun = System.nanoTime();
        double handled = 0;
        while (handled < events) {
            Thread.sleep(15_000);
            handled = service.metrics().handledEvents();
            System.out.printf("%4d s: %,d published, %,.0f handled by txwatch%n", (System.nanoTime() - begun) / 1_000_000_000,
                    publisher.published(), handled);
        }
        if (!publisher.awaitCompletion()) {
            throw new IllegalStateException("The simulator could not publish every event");
        }
    }

    /** Reads back every published event with its ground truth and the time Kafka appended it. */
    private List<Scorecard.Truth> truths(String bootstrapServers) {
        List<Scorecard.Truth> truths = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("transactions").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (truths.size() < events) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    truths.add(Scorecard.Truth.of(record));
                }
            }
        }
        return truths;
    }
}
