package io.txwatch.localinfra;

import java.util.Map;

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
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(FreePort.onLoopback())
                .withControllerPort(FreePort.onLoopback())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(properties -> {
                    properties.put("num.partitions", String.valueOf(DEFAULT_PARTITIONS));
                    properties.put("auto.create.topics.enable", "true");
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
