package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Exit;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A single-node Apache Kafka broker in KRaft mode, running inside this JVM on 127.0.0.1, with its log
 * directory in the given folder, deleted when it stops. It can be stopped and started again on the same ports and
 * logs, which is how the chaos command restarts the broker under a running service.
 */
final class LocalKafka implements AutoCloseable {

    /** Enough partitions for several consumers of one group to share a topic, as replicas do in production. */
    private static final int DEFAULT_PARTITIONS = 4;

    private final Path logDirectory;
    private final int kafkaPort;
    private final int controllerPort;
    private final String clusterId;
    private EmbeddedKafkaBroker broker;

    private LocalKafka(Path logDirectory, int kafkaPort, int controllerPort, EmbeddedKafkaBroker broker) {
        this.logDirectory = logDirectory;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.clusterId = broker.getClusterId();
        this.broker = broker;
    }

    static LocalKafka start(Path logDirectory) {
        // A broker in trouble calls Exit.exit, which would end the whole JVM (a test run, or the run command);
        // an exception tells the caller what went wrong instead.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("The local Kafka broker asked to exit (" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("The local Kafka broker asked to halt (" + status + "): " + message);
        });
        int kafkaPort = FreePort.onLoopback();
        int controllerPort = FreePort.onLoopback();
        return new LocalKafka(logDirectory, kafkaPort, controllerPort,
                broker(logDirectory, kafkaPort, controllerPort, null).start());
    }

    private static EmbeddedKafkaBroker broker(Path logDirectory, int kafkaPort, int controllerPort, String clusterId) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(kafkaPort)
                .withControllerPort(controllerPort)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(properties -> {
                    properties.put("log.dirs", logDirectory.toString());
                    properties.put("num.partitions", String.valueOf(DEFAULT_PARTITIONS));
                    properties.put("auto.create.topics.enable", "true");
                    // txwatch uses no share groups; their persister is created by reflection, which fails across the
                    // class loaders of the Quarkus test runtime on JDK 25.
                    properties.put("group.share.persister.class.name", "");
                });
        return clusterId == null ? broker : broker.withClusterId(clusterId);
    }

    String bootstrapServers() {
        return broker.getAdvertisedListeners();
    }

    Map<String, String> serviceConfig() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    /** Stops the broker, keeping its ports and logs. */
    synchronized void pause() {
        broker.close();
    }

    /** Starts the broker again on the ports and logs it had. */
    synchronized void resume() {
        if (!broker.isRunning()) {
            broker = broker(logDirectory, kafkaPort, controllerPort, clusterId).start();
        }
    }

    @Override
    public synchronized void close() {
        broker.close();
        if (Files.exists(logDirectory)) {
            try (Stream<Path> paths = Files.walk(logDirectory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete the Kafka logs in " + logDirectory, e);
            }
        }
    }
}
