package io.txwatch.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.txwatch.api.HttpFuzz;
import io.txwatch.bench.Measurements;
import io.txwatch.ingest.HostileRecords;
import io.txwatch.localinfra.CloseOnExit;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.MetricsScrape;
import io.txwatch.localinfra.ServiceProcess;
import io.txwatch.simulate.StreamPublisher;
import io.txwatch.simulate.StreamSettings;
import io.txwatch.simulate.TransactionStream;

/**
 * The chaos command: the same labelled stream through the real pipeline, once undisturbed and then under each fault
 * (the service killed outright, Redis, PostgreSQL and the Kafka broker restarted, hostile records, fuzzed requests),
 * each run on topics, a database and Redis keys of its own; then a soak at a steady rate. For each it counts the
 * events lost, compares the anomalies and the sales buckets with the undisturbed run (an event counted twice in a
 * window or bucket shows there; stored twice it cannot be, the tables' keys forbid it), and follows readiness.
 * Prints a table and writes it to {@code target/chaos/chaos.json}.
 * <p>
 * Settings, as system properties: {@code chaos.events} (30000 per run), {@code chaos.rate} (1500 events/s),
 * {@code chaos.hostile} (10000), {@code chaos.fuzz} (10000 requests), {@code chaos.faults} (true; false runs the soak
 * alone), {@code chaos.soak} (PT30M; PT0S skips it), {@code chaos.soak-rate} (500 events/s), the soak's shop
 * {@code chaos.soak-customers} (2000), {@code chaos.soak-products} (300) and {@code chaos.soak-peak} (120 events a minute
 * at the busiest hour of event time), {@code chaos.seed} (11).
 */
public final class Chaos {

    /** A Monday in the past, so that the stream is the same at any hour. */
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    /** How long buckets keep closing on the wall clock once the stream has gone silent (idle-after, then a tick). */
    private static final Duration CLOSING_TIME = Duration.ofSeconds(45);
    /** A service that has processed nothing more for this long, with servers up again, will not: the rest is lost. */
    private static final Duration NO_PROGRESS_LIMIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a run under one fault came to. */
    record Outcome(String fault, long events, long stored, long lost, int anomalies,
            int anomaliesMissing, int anomaliesExtra, int bucketSummariesDiffering, long deadLetters, long serverErrors,
            String readiness, long seconds, String note) {
    }

    /** A fault, and settings of the service that the fault needs. */
    record Scenario(Fault action, Map<String, String> serviceSettings) {

        Scenario(Fault action) {
            this(action, Map.of());
        }
    }

    /** One minute of the soak. */
    record SoakMinute(int minute, long events, long residentMib, double redisMib, double p99Millis, long lag) {
    }

    /** Something done to the servers or the service while the stream flows. */
    @FunctionalInterface
    interface Fault {
        void inject(Run run) throws Exception;
    }

    private final Path serviceJar;
    private final Path output;
    private final CloseOnExit running = new CloseOnExit("chaos");
    private final long events = Long.getLong("chaos.events", 30_000);
    private final int rate = Integer.getInteger("chaos.rate", 1_500);
    private final int hostileCount = Integer.getInteger("chaos.hostile", 10_000);
    private final int fuzzCount = Integer.getInteger("chaos.fuzz", 10_000);
    private final Duration soak = Duration.parse(System.getProperty("chaos.soak", "PT30M"));
    private final int soakRate = Integer.getInteger("chaos.soak-rate", 500);
    private final boolean faultRuns = Boolean.parseBoolean(System.getProperty("chaos.faults", "true"));
    private final int soakCustomers = Integer.getInteger("chaos.soak-customers", 2_000);
    private final int soakProducts = Integer.getInteger("chaos.soak-products", 300);
    private final double soakPeakPerMinute = Double.parseDouble(System.getProperty("chaos.soak-peak", "120"));
    private final long seed = Long.getLong("chaos.seed", 11);
    private LocalInfrastructure servers;

    private Chaos(Path serviceJar) {
        this.serviceJar = serviceJar;
        this.output = serviceJar.getParent().getParent().resolve("chaos");
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
                throw new IllegalArgumentException("Usage: Chaos <path to quarkus-run.jar>");
            }
            new Chaos(Path.of(args[0])).run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        // Kafka's client threads are not all daemons
        System.exit(status);
    }

    private void run() throws Exception {
        Files.createDirectories(output);
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Outcome> outcomes = new ArrayList<>();
        List<SoakMinute> soakMinutes = new ArrayList<>();
        try (LocalInfrastructure started = running.track(LocalInfrastructure.start())) {
            servers = started;
            if (faultRuns) {
                runFaults(outcomes);
            }
            if (!soak.isZero()) {
                soakMinutes.addAll(soak());
            }
        }
        printTable(outcomes);
        printSoak(soakMinutes);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("startedAt", startedAt.toString());
        report.put("settings", Map.of("events", events, "rate", rate, "hostile", hostileCount, "fuzz", fuzzCount,
                "soak", soak.toString(), "soakRate", soakRate, "soakCustomers", soakCustomers, "soakProducts", soakProducts,
                "soakPeakPerMinute", soakPeakPerMinute, "seed", seed));
        report.put("faults", outcomes);
        report.put("soak", soakMinutes);
        Path json = output.resolve("chaos.json");
        JSON.writeValue(json.toFile(), report);
        System.out.println("JSON: " + json);
    }

    private void runFaults(List<Outcome> outcomes) throws Exception {
        Run undisturbed = run("uninterrupted", "calm", new Scenario(run -> {
        }), null);
        outcomes.add(undisturbed.outcome());
        Map<String, Scenario> faults = new LinkedHashMap<>();
        faults.put("service killed (kill -9) at 40 %, restarted", new Scenario(run -> {
            run.awaitProcessedShare(0.4);
            run.killAndRestart();
        }));
        faults.put("service killed (kill -9) at 20, 50 and 80 %, restarted", new Scenario(run -> {
            for (double share : new double[] { 0.2, 0.5, 0.8 }) {
                run.awaitProcessedShare(share);
                run.killAndRestart();
            }
        }));
        faults.put("Redis restarted (10 s down, state lost)", new Scenario(run -> {
            run.awaitProcessedShare(0.4);
            servers.stopRedis();
            Thread.sleep(10_000);
            servers.restartRedis();
        }));
        faults.put("PostgreSQL killed, down 30 s, restarted", new Scenario(run -> {
            run.awaitProcessedShare(0.4);
            servers.crashPostgres();
            Thread.sleep(30_000);
            servers.restartPostgres();
        }));
        faults.put("Kafka broker stopped 10 s, restarted", new Scenario(run -> {
            run.awaitProcessedShare(0.4);
            servers.stopKafka();
            Thread.sleep(10_000);
            servers.restartKafka();
        }));
        faults.put(String.format("%,d hostile records among the events", hostileCount), new Scenario(Run::publishHostile));
        // the fuzzer's valid events, dated in September, would move the January stream's event time on: HTTP ingest
        // publishes them to a topic of their own, so that the stream's results can be compared
        faults.put(String.format("%,d fuzzed HTTP requests during the stream", fuzzCount), new Scenario(Run::fuzz,
                Map.of("mp.messaging.outgoing.transactions-out.topic", "transactions-http-fuzz")));
        int number = 0;
        for (Map.Entry<String, Scenario> fault : faults.entrySet()) {
            outcomes.add(run(fault.getKey(), "fault" + (++number), fault.getValue(), undisturbed).outcome());
            printTable(outcomes);
        }
    }

    /** Runs the stream through a service of its own while {@code fault} acts on it, and collects what came of it. */
    private Run run(String fault, String slug, Scenario scenario, Run undisturbed) throws Exception {
        System.out.printf("%n=== %s ===%n", fault);
        Run run = new Run(fault, slug, undisturbed, scenario.serviceSettings());
        run.start();
        CompletableFuture<Void> injected = CompletableFuture.runAsync(() -> {
            try {
                scenario.action().inject(run);
            } catch (Exception e) {
                throw new IllegalStateException("The fault '" + fault + "' could not be injected", e);
            }
        });
        run.publishStream();
        injected.join();
        run.awaitAllProcessed();
        Thread.sleep(CLOSING_TIME.toMillis());
        run.finish();
        return run;
    }

    /** One service, its own topics, database and keys, and what is measured of it. */
    final class Run {

        private final String fault;
        private final String slug;
        private final Run undisturbed;
        private final Map<String, String> config;
        private final List<String> readiness = new CopyOnWriteArrayList<>();
        private final AtomicInteger serverErrors = new AtomicInteger();
        private final long startedAt = System.nanoTime();
        private volatile ServiceProcess service;
        private volatile boolean watching = true;
        private Outcome outcome;
        private volatile String note = "";
        private Set<String> anomalyKeys = Set.of();
        private Set<String> bucketSummaries = Set.of();

        Run(String fault, String slug, Run undisturbed, Map<String, String> serviceSettings) {
            this.fault = fault;
            this.slug = slug;
            this.undisturbed = undisturbed;
            Map<String, String> separate = new HashMap<>(servers.separateServiceConfig(slug));
            separate.put("quarkus.http.host", "127.0.0.1");
            separate.putAll(serviceSettings);
            this.config = Map.copyOf(separate);
        }

        void start() throws InterruptedException {
            startService();
            Thread watcher = new Thread(this::watchReadiness, "chaos-readiness-" + slug);
            watcher.setDaemon(true);
            watcher.start();
        }

        private void startService() throws InterruptedException {
            ServiceProcess started = running.track(ServiceProcess.start(serviceJar, List.of(), config,
                    Optional.of(output.resolve("txwatch-" + slug + "-" + System.currentTimeMillis() + ".log"))));
            servers.stopWithServers(started.handle());
            started.awaitReady(Duration.ofMinutes(3));
            service = started;
        }

        /** Kills the service outright, as the kernel's OOM killer or a lost node would, and starts a new one. */
        void killAndRestart() throws InterruptedException {
            ServiceProcess killed = service;
            readiness.add("KILLED");
            killed.handle().destroyForcibly();
            killed.handle().onExit().join();
            startService();
        }

        private void watchReadiness() {
            while (watching) {
                ServiceProcess current = service;
                String state = current == null ? "STARTING" : switch (current.status("/q/health/ready")) {
                    case 200 -> "UP";
                    case 503 -> "DOWN";
                    default -> "NO ANSWER";
                };
                if (readiness.isEmpty() || !readiness.get(readiness.size() - 1).equals(state)) {
                    readiness.add(state);
                }
                sleep(Duration.ofSeconds(1));
            }
        }

        void publishStream() throws InterruptedException {
            StreamPublisher publisher = running.track(new StreamPublisher(StreamPublisher.connect(servers.kafkaBootstrapServers()),
                    new TransactionStream(streamSettings(seed)),
                    new StreamPublisher.Settings("catalog-" + slug, "transactions-" + slug, rate, OptionalLong.of(events))));
            publisher.start();
            if (!publisher.awaitCompletion()) {
                throw new IllegalStateException("The simulator could not publish every event");
            }
            publisher.close();
        }

        void publishHostile() throws InterruptedException {
            awaitProcessedShare(0.1);
            List<HostileRecords.Hostile> hostile = HostileRecords.generate(seed, hostileCount);
            try (KafkaProducer<String, byte[]> producer = StreamPublisher.connect(servers.kafkaBootstrapServers())) {
                for (int i = 0; i < hostile.size(); i++) {
                    producer.send(new ProducerRecord<>("transactions-" + slug, "hostile-" + (i % 97), hostile.get(i).value()));
                    if (i % 500 == 499) {
                        producer.flush();
                        Thread.sleep(200);
                    }
                }
                producer.flush();
            }
        }

        void fuzz() throws Exception {
            awaitProcessedShare(0.05);
            HttpFuzz fuzz = new HttpFuzz(seed, URI.create(service.baseUrl() + "/"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            long residentBefore = Measurements.residentMib(service.handle());
            for (HttpFuzz.Fuzzed request : fuzz.next(fuzzCount)) {
                int status;
                try {
                    status = client.send(request.request(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException closedBeforeThisRequest) {
                    try {
                        status = client.send(request.request(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (java.io.IOException e) {
                        status = 599;
                    }
                }
                if (status >= 500) {
                    serverErrors.incrementAndGet();
                    System.out.println("server error " + status + " for " + request.description());
                }
            }
            note = String.format("txwatch RSS %d MiB before the requests, %d MiB after", residentBefore,
                    Measurements.residentMib(service.handle()));
            System.out.println("fuzz: " + note);
        }

        void awaitProcessedShare(double share) throws InterruptedException {
            long target = (long) (events * share);
            while (processed() < target) {
                Thread.sleep(250);
            }
        }

        /** Waits until every event is processed, or until no progress was made for {@link #NO_PROGRESS_LIMIT}: lost. */
        void awaitAllProcessed() throws InterruptedException {
            long last = -1;
            long lastProgress = System.nanoTime();
            for (long now = processed(); now < events; now = processed()) {
                if (now != last) {
                    last = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > NO_PROGRESS_LIMIT.toNanos()) {
                    System.out.printf("%,d of %,d events processed, and no more for %s%n", now, events, NO_PROGRESS_LIMIT);
                    return;
                }
                Thread.sleep(1000);
            }
        }

        /** Rows of the ledger: transactions processed; -1 while the database does not answer. */
        private long processed() {
            return query("SELECT count(*) FROM processed_transaction", rows -> rows.next() ? rows.getLong(1) : 0L, -1L);
        }

        void finish() {
            watching = false;
            long stored = query("SELECT count(DISTINCT transaction_id) FROM transaction", rows -> rows.next() ? rows.getLong(1) : 0L, -1L);
            anomalyKeys = query("SELECT dedup_key FROM anomaly", rows -> {
                Set<String> keys = new HashSet<>();
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
                return keys;
            }, Set.of());
            bucketSummaries = new HashSet<>(RedisReader.sortedSet(servers.redisPort(), "txw-" + slug + ":{shop}:volume:history"));
            long deadLetters = deadLetters();
            List<String> missing = undisturbed == null ? List.of()
                    : undisturbed.anomalyKeys.stream().filter(key -> !anomalyKeys.contains(key)).sorted().toList();
            List<String> extra = undisturbed == null ? List.of()
                    : anomalyKeys.stream().filter(key -> !undisturbed.anomalyKeys.contains(key)).sorted().toList();
            missing.stream().limit(10).forEach(key -> System.out.println("missing against the uninterrupted run: " + key));
            extra.stream().limit(10).forEach(key -> System.out.println("extra against the uninterrupted run: " + key));
            int bucketsDiffering = undisturbed == null ? 0 : symmetricDifference(undisturbed.bucketSummaries, bucketSummaries);
            outcome = new Outcome(fault, events, stored, events - stored, anomalyKeys.size(), missing.size(), extra.size(),
                    bucketsDiffering, deadLetters, serverErrors.get(), String.join(" → ", readiness),
                    (System.nanoTime() - startedAt) / 1_000_000_000, note);
            service.close();
        }

        Outcome outcome() {
            return outcome;
        }

        private long deadLetters() {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers()),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor("transactions.dlq-" + slug, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum()
                        - consumer.beginningOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            } catch (RuntimeException noTopic) {
                return 0;
            }
        }

        private <T> T query(String sql, RowsReader<T> reader, T whenUnavailable) {
            try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                    config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(sql)) {
                return reader.read(rows);
            } catch (SQLException e) {
                return whenUnavailable;
            }
        }
    }

    @FunctionalInterface
    interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** A steady stream for {@code chaos.soak}, sampled every minute. */
    private List<SoakMinute> soak() throws Exception {
        System.out.printf("%n=== soak: %s at %,d events/s ===%n", soak, soakRate);
        long soakEvents = soak.toSeconds() * soakRate;
        Map<String, String> config = new HashMap<>(servers.separateServiceConfig("soak"));
        config.put("quarkus.http.host", "127.0.0.1");
        List<SoakMinute> minutes = new ArrayList<>();
        try (ServiceProcess service = running.track(ServiceProcess.start(serviceJar, List.of(), config,
                Optional.of(output.resolve("txwatch-soak.log"))))) {
            servers.stopWithServers(service.handle());
            service.awaitReady(Duration.ofMinutes(3));
            StreamPublisher publisher = running.track(new StreamPublisher(StreamPublisher.connect(servers.kafkaBootstrapServers()),
                    new TransactionStream(soakSettings()),
                    new StreamPublisher.Settings("catalog-soak", "transactions-soak", soakRate, OptionalLong.of(soakEvents))));
            publisher.start();
            MetricsScrape previous = service.metrics();
            for (int minute = 1; minute <= soak.toMinutes(); minute++) {
                Thread.sleep(Duration.ofMinutes(1).toMillis());
                MetricsScrape now = service.metrics();
                Measurements.Latency latency = Measurements.Latency.of(now.bucketsSince(previous, "txwatch_events_latency_seconds"));
                SoakMinute sample = new SoakMinute(minute, (long) now.handledEvents(), Measurements.residentMib(service.handle()),
                        Measurements.redisUsedMib(servers.redisPort()), latency.p99(), publisher.published() - (long) now.handledEvents());
                minutes.add(sample);
                System.out.printf("soak minute %d: %,d events handled, RSS %d MiB, Redis %.1f MiB, p99 %.1f ms, lag %,d%n",
                        sample.minute(), sample.events(), sample.residentMib(), sample.redisMib(), sample.p99Millis(), sample.lag());
                previous = now;
            }
            publisher.close();
        }
        return minutes;
    }

    private static void printTable(List<Outcome> outcomes) {
        System.out.printf("%n%-55s %8s %8s %5s %9s %8s %6s %8s %8s %5s %5s  %s%n", "fault", "events", "stored", "lost",
                "anomalies", "missing", "extra", "buckets≠", "dead-let", "5xx", "secs", "readiness");
        for (Outcome o : outcomes) {
            System.out.printf("%-55s %,8d %,8d %5d %9d %8d %6d %8d %,8d %5d %5d  %s%s%n", o.fault(), o.events(), o.stored(),
                    o.lost(), o.anomalies(), o.anomaliesMissing(), o.anomaliesExtra(),
                    o.bucketSummariesDiffering(), o.deadLetters(), o.serverErrors(), o.seconds(), o.readiness(),
                    o.note().isEmpty() ? "" : "; " + o.note());
        }
    }

    private static void printSoak(List<SoakMinute> minutes) {
        if (minutes.isEmpty()) {
            return;
        }
        System.out.println("\nsoak minute  events handled  RSS MiB  Redis MiB  p99 ms  lag");
        minutes.forEach(m -> System.out.printf("%11d  %,14d  %7d  %9.1f  %6.1f  %,d%n", m.minute(), m.events(), m.residentMib(),
                m.redisMib(), m.p99Millis(), m.lag()));
    }

    /** The soak's shop: the simulator's defaults but for its size and pace, which {@code chaos.soak-*} set. */
    private StreamSettings soakSettings() {
        StreamSettings d = StreamSettings.defaults(START);
        return new StreamSettings(seed + 1, d.start(), soakCustomers, soakProducts, soakPeakPerMinute, d.failureRate(),
                d.anomalyRate(), d.anomalyMix(), d.currency(), d.shocks(), d.shockMeanInterval(), d.shockWarmUp());
    }

    /** The simulator's defaults from {@link #START}, with the given seed. */
    private static StreamSettings streamSettings(long seed) {
        StreamSettings d = StreamSettings.defaults(START);
        return new StreamSettings(seed, d.start(), d.customers(), d.products(), d.peakEventsPerMinute(), d.failureRate(),
                d.anomalyRate(), d.anomalyMix(), d.currency(), d.shocks(), d.shockMeanInterval(), d.shockWarmUp());
    }

    private static int symmetricDifference(Set<String> one, Set<String> other) {
        return (int) (one.stream().filter(member -> !other.contains(member)).count()
                + other.stream().filter(member -> !one.contains(member)).count());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
