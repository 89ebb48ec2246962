package io.txwatch.localinfra;

import java.util.Map;

import org.apache.kafka.common.utils.Exit;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A single-node Apache Kafka broker in KRaft mode, running inside this JVM on 127.0.0.1, with its log
 * directories in a temporary folder that is deleted when it stops.
 */
final class LocalKafka implements AutoCloseable {

    /** Enough partitions for several consumers of one group to share a topic, as replicas do in production. */
    private static final int DEFAULT_PARTITIONS = 4;

    private final EmbeddedKafkaBroker broker;

    private LocalKafka(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    static LocalKafka start() {
        // A broker in trouble calls Exit.exit, which would end the whole JVM (a test run, or the run command);
        // an exception tells the caller what went wrong instead.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("The local Kafka broker asked to exit (" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("The local Kafka broker asked to halt (" + status + "): " + message);
        });
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(FreePort.onLoopback())
                .withControllerPort(FreePort.onLoopback())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(properties -> {
                    properties.put("num.partitions", String.valueOf(DEFAULT_PARTITIONS));
                    properties.put("auto.create.topics.enable", "true");
                    // txwatch uses no share groups; their persister is created by reflection, which fails across the
                    // class loaders of the Quarkus test runtime on JDK 25.
                    properties.put("group.share.persister.class.name", "");
                })
                .start();
        return new LocalKafka(broker);
    }

    String bootstrapServers() {
        return broker.getAdvertisedListeners();
    }

    Map<String, String> serviceConfig() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void close() {
        broker.close();
    }
}
