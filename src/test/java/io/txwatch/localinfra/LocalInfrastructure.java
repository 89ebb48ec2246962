package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Kafka, Redis and PostgreSQL for txwatch on 127.0.0.1, on free ports, with data in one temporary folder:
 * what the tests run against and what {@link RunWithLocalInfrastructure} runs the service against. No Docker
 * and nothing installed on the machine: every server comes from a Maven artifact.
 */
public final class LocalInfrastructure implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalInfrastructure.class);

    private final Path dataRoot;
    private final LocalKafka kafka;
    private final LocalRedis redis;
    private final LocalPostgres postgres;
    private final Watchdog watchdog;
    private boolean closed;

    private LocalInfrastructure(Path dataRoot, LocalKafka kafka, LocalRedis redis, LocalPostgres postgres, Watchdog watchdog) {
        this.dataRoot = dataRoot;
        this.kafka = kafka;
        this.redis = redis;
        this.postgres = postgres;
        this.watchdog = watchdog;
        watchdog.watch(List.copyOf(serverProcesses().values()));
    }

    /** Starts the three servers side by side, so that start-up takes as long as the slowest of them. */
    public static LocalInfrastructure start() {
        long startedAt = System.nanoTime();
        Path dataRoot = createDataRoot();
        Watchdog watchdog = Watchdog.start(dataRoot);
        CompletableFuture<LocalKafka> kafka = CompletableFuture.supplyAsync(() -> LocalKafka.start(dataRoot.resolve("kafka")));
        CompletableFuture<LocalRedis> redis = CompletableFuture.supplyAsync(() -> LocalRedis.start(dataRoot.resolve("redis")));
        CompletableFuture<LocalPostgres> postgres = CompletableFuture
                .supplyAsync(() -> LocalPostgres.start(dataRoot.resolve("postgres")));
        try {
            LocalInfrastructure infrastructure = new LocalInfrastructure(dataRoot, kafka.join(), redis.join(), postgres.join(),
                    watchdog);
            LOG.infof("Kafka, Redis and PostgreSQL up on 127.0.0.1 in %d ms (data in %s)",
                    (System.nanoTime() - startedAt) / 1_000_000, dataRoot);
            return infrastructure;
        } catch (CompletionException e) {
            stopWhatStarted(kafka, redis, postgres);
            deleteRecursively(dataRoot);
            throw new IllegalStateException("Local infrastructure did not start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The configuration that points txwatch at these servers. */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new HashMap<>();
        config.putAll(kafka.serviceConfig());
        config.putAll(redis.serviceConfig());
        config.putAll(postgres.serviceConfig());
        return Map.copyOf(config);
    }

    /**
     * The configuration for a txwatch that shares these servers with others yet starts from nothing: its own
     * database, its own Redis keys, its own topics (named {@code <topic>-<name>}).
     */
    public Map<String, String> separateServiceConfig(String name) {
        Map<String, String> config = new HashMap<>(serviceConfig());
        config.putAll(postgres.newDatabaseConfig("txwatch_" + name.replace('-', '_')));
        config.put("txwatch.windows.key-prefix", "txw-" + name);
        Map.of("incoming.transactions", "transactions", "outgoing.transactions-out", "transactions",
                "outgoing.transactions-dlq", "transactions.dlq", "incoming.catalog", "catalog", "outgoing.catalog-out", "catalog")
                .forEach((channel, topic) -> config.put("mp.messaging." + channel + ".topic", topic + "-" + name));
        return Map.copyOf(config);
    }

    Path dataRoot() {
        return dataRoot;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public int redisPort() {
        return redis.port();
    }

    /** The server processes that are not this JVM, by name, for measuring what each costs. */
    public Map<String, ProcessHandle> serverProcesses() {
        Map<String, ProcessHandle> processes = new HashMap<>();
        redis.process().ifPresent(process -> processes.put("redis", process));
        postgres.process().ifPresent(process -> processes.put("postgresql", process));
        return processes;
    }

    /** Stops Redis, keeping its port, to show what txwatch does when Redis becomes unreachable. */
    public void stopRedis() {
        redis.pause();
    }

    /** Starts Redis again on the port it had. */
    public void restartRedis() {
        redis.resume();
        redis.process().ifPresent(process -> watchdog.watch(List.of(process)));
    }

    /** Kills PostgreSQL outright (SIGKILL to the postmaster), as a crash or a lost machine would. */
    public void crashPostgres() {
        postgres.crash();
    }

    /** Starts PostgreSQL again on its port and data, which it recovers from its write-ahead log. */
    public void restartPostgres() {
        postgres.restart();
        postgres.process().ifPresent(process -> watchdog.watch(List.of(process)));
    }

    /** Stops the Kafka broker, keeping its ports and logs. */
    public void stopKafka() {
        kafka.pause();
    }

    /** Starts the Kafka broker again on the ports and logs it had. */
    public void restartKafka() {
        kafka.resume();
    }

    /** A process started beside these servers (the service, say) that must not outlive this JVM either. */
    public void stopWithServers(ProcessHandle process) {
        watchdog.watch(List.of(process));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(postgres);
        closeQuietly(redis);
        closeQuietly(kafka);
        deleteRecursively(dataRoot);
    }

    private static Path createDataRoot() {
        try {
            Path dataRoot = Files.createTempDirectory("txwatch-local-");
            Files.createDirectories(dataRoot.resolve("redis"));
            return dataRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data folder", e);
        }
    }

    private static void stopWhatStarted(CompletableFuture<?>... servers) {
        for (CompletableFuture<?> server : servers) {
            server.thenAccept(started -> closeQuietly((AutoCloseable) started));
        }
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            LOG.warnf(e, "Could not stop %s cleanly", server.getClass().getSimpleName());
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warnf(e, "Could not delete %s", root);
        }
    }
}
