package io.txwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.txwatch.bench.Measurements.Latency;
import io.txwatch.localinfra.CloseOnExit;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.ServiceProcess;
import io.txwatch.simulate.StreamSettings;
import io.txwatch.simulate.TransactionStream;

/**
 * The benchmark: how fast this machine can read the simulated shop's events with a bare consumer (the ceiling), and
 * how fast and how promptly txwatch scores them with every detector on, with raw transaction storage on and off.
 * Kafka, Redis and PostgreSQL run on this machine beside the service, as in the tests, and each configuration gets
 * fresh servers. Prints one table and writes it as JSON to {@code target/benchmark/benchmark.json}.
 * <p>
 * Settings, as system properties: {@code benchmark.window} (each measurement, default PT60S),
 * {@code benchmark.warm-up} (before each, PT10S), {@code benchmark.ceiling-events} (2000000),
 * {@code benchmark.backlog-events} (100000), {@code benchmark.rates} (fixed rates for latency, 1000,10000; half
 * the sustained maximum is added), {@code benchmark.raw-storage} (on,off), {@code benchmark.jfr} (true records a JFR profile of the service).
 */
public final class Benchmark {

    private static final String TRANSACTIONS = "transactions";
    /** Lag may grow by this much of a second's events over a window and still count as not growing (batch jitter). */
    private static final double LAG_TOLERANCE_SECONDS = 1.0;
    private static final int SUSTAIN_ATTEMPTS = 4;

    private final Path serviceJar;
    private final CloseOnExit running = new CloseOnExit("benchmark");
    private final Path output;
    private final Duration window = Duration.parse(System.getProperty("benchmark.window", "PT60S"));
    private final Duration warmUp = Duration.parse(System.getProperty("benchmark.warm-up", "PT10S"));
    private final long ceilingEvents = Long.parseLong(System.getProperty("benchmark.ceiling-events", "2000000"));
    private final long backlogEvents = Long.parseLong(System.getProperty("benchmark.backlog-events", "100000"));
    private final List<Double> fixedRates = List.of(System.getProperty("benchmark.rates", "1000,10000").split(",")).stream()
            .map(String::trim).map(Double::parseDouble).toList();
    private final List<String> rawStorageSettings = List.of(System.getProperty("benchmark.raw-storage", "on,off").split(","));
    private final boolean recordProfile = Boolean.parseBoolean(System.getProperty("benchmark.jfr", "false"));
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> machine = Machine.describe();
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** One line of the table. */
    record Row(String configuration, String measurement, double offeredPerSecond, double processedPerSecond,
            double lagGrowthPerSecond, boolean sustained, Latency latency, double redisRoundTripsPerEvent,
            double redisCommandsPerEvent, double redisBytesPerEvent, Map<String, Double> cpuCores, long serviceRssMib) {
    }

    private Benchmark(Path serviceJar) {
        this.serviceJar = serviceJar;
        this.output = serviceJar.getParent().getParent().resolve("benchmark");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("Usage: Benchmark <path to quarkus-run.jar>");
        }
        new Benchmark(Path.of(args[0])).run();
        // Kafka's and Quarkus's client threads are not all daemons; the benchmark is over
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(output);
        System.out.println("Benchmark on " + machine);
        // one set of servers for the whole run: each measurement has topics, a database and Redis keys of its own
        try (LocalInfrastructure servers = running.track(LocalInfrastructure.start())) {
            if (ceilingEvents > 0) {
                measureCeiling(servers);
            }
            for (String rawStorage : rawStorageSettings) {
                measureTxwatch(servers, "txwatch, raw storage " + rawStorage, rawStorage.equals("on"));
            }
        }
        System.out.println("\n" + table());
        System.out.println("JSON: " + output.resolve("benchmark.json"));
    }

    /** Adds a row to the table, and rewrites the JSON, so that an interrupted run keeps what it measured. */
    private Row record(Row row) {
        rows.add(row);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("startedAt", startedAt.toString());
        report.put("machine", machine);
        report.put("window", window.toString());
        report.put("rows", rows);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.resolve("benchmark.json").toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return row;
    }

    /**
     * The simulated shop at a size that such rates imply: 100,000 customers and 2,000 products, 20,000 events a
     * minute at the busiest hour, with the simulator's usual anomalies and volume shocks. Event time starts in the
     * past and runs a few times faster than the wall clock.
     */
    private static TransactionStream shop() {
        StreamSettings defaults = StreamSettings.defaults(Instant.parse("2026-01-05T00:00:00Z"));
        return new TransactionStream(new StreamSettings(1, defaults.start(), 100_000, 2_000, 20_000, defaults.failureRate(),
                defaults.anomalyRate(), defaults.anomalyMix(), defaults.currency(), true, defaults.shockMeanInterval(), defaults.shockWarmUp()));
    }

    private void measureCeiling(LocalInfrastructure servers) {
        System.out.printf("Ceiling: publishing %,d events, then reading them with a bare consumer%n", ceilingEvents);
        String topic = TRANSACTIONS + "-ceiling";
        try (LoadGenerator generator = new LoadGenerator(servers.kafkaBootstrapServers(), shop(), topic)) {
            generator.publishBacklog(ceilingEvents);
            BareConsumer.Drained drained = BareConsumer.drain(servers.kafkaBootstrapServers(), topic, ceilingEvents);
            if (drained.valid() != drained.events()) {
                throw new IllegalStateException((drained.events() - drained.valid()) + " simulated events were invalid");
            }
            record(new Row("ceiling: bare consumer", "drain %,d".formatted(drained.events()), Double.NaN,
                    drained.eventsPerSecond(), Double.NaN, true, null, Double.NaN, Double.NaN, Double.NaN, Map.of(), -1));
            System.out.printf("Ceiling: %,.0f events/s%n", drained.eventsPerSecond());
        }
    }

    private void measureTxwatch(LocalInfrastructure servers, String configuration, boolean rawStorage) throws Exception {
        String slug = rawStorage ? "raw-on" : "raw-off";
        try (LoadGenerator generator = new LoadGenerator(servers.kafkaBootstrapServers(), shop(), TRANSACTIONS + "-" + slug)) {
            generator.publishCatalog("catalog-" + slug);
            System.out.printf("%s: publishing a backlog of %,d events%n", configuration, backlogEvents);
            generator.publishBacklog(backlogEvents);
            Map<String, String> config = new HashMap<>(servers.separateServiceConfig(slug));
            config.put("quarkus.http.host", "127.0.0.1");
            config.put("txwatch.store.raw-transactions", String.valueOf(rawStorage));
            List<String> jvmOptions = recordProfile
                    ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                            + output.resolve("txwatch-" + slug + ".jfr"))
                    : List.of();
            try (ServiceProcess service = running.track(ServiceProcess.start(serviceJar, jvmOptions, config,
                    Optional.of(output.resolve("txwatch-" + slug + ".log"))))) {
                servers.stopWithServers(service.handle());
                service.awaitReady(Duration.ofMinutes(2));
                Probe probe = new Probe(service, servers, generator);
                double drainRate = drainBacklog(configuration, probe);
                double sustained = findSustainableRate(configuration, probe, generator, drainRate);
                TreeSet<Double> rates = new TreeSet<>(fixedRates);
                if (sustained > 0) {
                    rates.add(Math.floor(sustained / 2 / 100) * 100);
                }
                for (double rate : rates) {
                    if (rate > sustained) {
                        // the lag would grow for as long as the measurement lasts: latency there is only the backlog
                        record(new Row(configuration, "at %,.0f/s: above max, skipped".formatted(rate), rate, Double.NaN,
                                Double.NaN, false, null, Double.NaN, Double.NaN, Double.NaN, Map.of(), probe.residentMib()));
                        continue;
                    }
                    generator.pace(0);
                    probe.awaitLagBelow(Math.max(rate * LAG_TOLERANCE_SECONDS, 500), Duration.ofMinutes(2));
                    String name = rate == Math.floor(sustained / 2 / 100) * 100 ? "at half max, %,.0f/s".formatted(rate)
                            : "at %,.0f/s".formatted(rate);
                    measure(configuration, name, rate, probe, generator);
                }
                generator.pace(0);
            }
        }
    }

    /** The rate at which the service works through the backlog, its start-up and first seconds left out. */
    private double drainBacklog(String configuration, Probe probe) throws InterruptedException {
        long from = backlogEvents / 20;
        Probe.Snapshot first = probe.awaitHandled(from, Duration.ofMinutes(5));
        Probe.Snapshot last = probe.awaitHandled(backlogEvents, Duration.ofMinutes(30));
        double rate = (last.handled() - first.handled()) / last.secondsSince(first);
        record(new Row(configuration, "drain %,d backlog".formatted(backlogEvents), Double.NaN, rate, Double.NaN, true,
                null, Double.NaN, Double.NaN, Double.NaN, Map.of(), probe.residentMib()));
        System.out.printf("%s: drained the backlog at %,.0f events/s%n", configuration, rate);
        return rate;
    }

    /**
     * Tries rates from just below the drain rate down until one holds for a whole window with the lag not growing;
     * after a miss, the next try is below what the service did process, since windows fill and it slows.
     */
    private double findSustainableRate(String configuration, Probe probe, LoadGenerator generator, double drainRate)
            throws InterruptedException {
        double rate = Math.floor(drainRate * 0.95 / 100) * 100;
        for (int attempt = 0; attempt < SUSTAIN_ATTEMPTS && rate >= 100; attempt++) {
            generator.pace(0);
            probe.awaitLagBelow(Math.max(rate * LAG_TOLERANCE_SECONDS, 500), Duration.ofMinutes(2));
            Row row = measure(configuration, "sustained max? %,.0f/s".formatted(rate), rate, probe, generator);
            if (row.sustained()) {
                return row.processedPerSecond();
            }
            rate = Math.floor(Math.min(rate * 0.85, row.processedPerSecond() * 0.9) / 100) * 100;
        }
        return 0;
    }

    private Row measure(String configuration, String name, double rate, Probe probe, LoadGenerator generator)
            throws InterruptedException {
        generator.pace(rate);
        Thread.sleep(warmUp.toMillis());
        Probe.Snapshot start = probe.snapshot();
        List<double[]> lagSamples = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            Probe.Snapshot sample = probe.snapshot();
            lagSamples.add(new double[] { sample.secondsSince(start), sample.lag() });
        }
        Probe.Snapshot finish = probe.snapshot();
        double seconds = finish.secondsSince(start);
        double handled = finish.handled() - start.handled();
        double offered = (finish.sent() - start.sent()) / seconds;
        double lagGrowth = slope(lagSamples);
        boolean sustained = lagGrowth * seconds <= Math.max(rate * LAG_TOLERANCE_SECONDS, 500)
                && handled / seconds >= 0.97 * offered && offered >= 0.97 * rate;
        Row row = new Row(configuration, name, offered, handled / seconds, lagGrowth, sustained,
                Latency.of(finish.scrape().bucketsSince(start.scrape(), "txwatch_events_latency_seconds")),
                perEvent(finish.scrape().sum("txwatch_redis_round_trips_total") - start.scrape().sum("txwatch_redis_round_trips_total"), handled),
                perEvent(finish.redis().commands() - start.redis().commands(), handled),
                perEvent(finish.redis().bytesIn() + finish.redis().bytesOut() - start.redis().bytesIn() - start.redis().bytesOut(), handled),
                finish.coresSince(start), probe.residentMib());
        record(row);
        System.out.printf("%s, %s: %,.0f offered/s, %,.0f processed/s, lag %+,.0f/s (%s), p50 %.1f ms, p99 %.1f ms, "
                + "%.2f Redis round trips and %.1f commands per event, CPU cores %s%n", configuration, name, offered,
                row.processedPerSecond(), lagGrowth, sustained ? "sustained" : "falling behind", row.latency().p50(),
                row.latency().p99(), row.redisRoundTripsPerEvent(), row.redisCommandsPerEvent(), cores(row));
        return row;
    }

    private static double perEvent(double total, double events) {
        return events == 0 ? Double.NaN : total / events;
    }

    /** Least-squares slope of (seconds, lag) samples: how fast the lag grows, in events per second. */
    private static double slope(List<double[]> samples) {
        double n = samples.size();
        double sumX = 0;
        double sumY = 0;
        double sumXY = 0;
        double sumXX = 0;
        for (double[] sample : samples) {
            sumX += sample[0];
            sumY += sample[1];
            sumXY += sample[0] * sample[1];
            sumXX += sample[0] * sample[0];
        }
        double denominator = n * sumXX - sumX * sumX;
        return n < 2 || denominator == 0 ? 0 : (n * sumXY - sumX * sumY) / denominator;
    }

    private String table() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-26s %-26s %9s %11s %8s %7s %7s %7s %7s %7s %8s  %-34s %6s%n", "configuration",
                "measurement", "offered/s", "processed/s", "lag/s", "p50 ms", "p99 ms", "max ms", "RT/ev", "cmd/ev",
                "bytes/ev", "CPU cores svc/redis/pg/kafka/load", "RSS MB"));
        for (Row row : rows) {
            table.append(String.format("%-26s %-26s %9s %11s %8s %7s %7s %7s %7s %7s %8s  %-34s %6s%n", row.configuration(),
                    row.measurement(), number(row.offeredPerSecond(), "%,.0f"), number(row.processedPerSecond(), "%,.0f"),
                    number(row.lagGrowthPerSecond(), "%+,.0f"), latency(row, Latency::p50), latency(row, Latency::p99),
                    latency(row, Latency::max), number(row.redisRoundTripsPerEvent(), "%.2f"),
                    number(row.redisCommandsPerEvent(), "%.1f"), number(row.redisBytesPerEvent(), "%,.0f"), cores(row),
                    row.serviceRssMib() < 0 ? "-" : String.valueOf(row.serviceRssMib())));
        }
        return table.toString();
    }

    private static String latency(Row row, java.util.function.ToDoubleFunction<Latency> part) {
        return row.latency() == null ? "-" : number(part.applyAsDouble(row.latency()), "%.1f");
    }

    private static String cores(Row row) {
        if (row.cpuCores().isEmpty()) {
            return "-";
        }
        return String.format("%.2f/%.2f/%.2f/%.2f/%.2f (all %.2f)", row.cpuCores().get("txwatch"), row.cpuCores().get("redis"),
                row.cpuCores().get("postgresql"), row.cpuCores().get("kafka"), row.cpuCores().get("load"),
                row.cpuCores().get("machine"));
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(format, value);
    }
}
