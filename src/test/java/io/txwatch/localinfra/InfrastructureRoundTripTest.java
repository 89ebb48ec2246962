package io.txwatch.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The service's configuration reaches a real Kafka broker and a real Redis server. */
@QuarkusTest
class InfrastructureRoundTripTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ReactiveRedisDataSource redis;

    KafkaCompanion kafka;

    @BeforeEach
    void connectToKafka() {
        kafka = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void disconnectFromKafka() {
        kafka.close();
    }

    @Test
    void aRecordPublishedToKafkaIsConsumedBackWithItsKeyAndValue() {
        String topic = "round-trip-" + UUID.randomUUID();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, "customer-7", "{\"hello\":\"kafka\"}"))
                .awaitCompletion(Duration.ofSeconds(30));

        ConsumerTask<String, String> consumed = kafka.consumeStrings().fromTopics(topic, 1)
                .awaitCompletion(Duration.ofSeconds(30));

        assertThat(consumed.getRecords()).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("customer-7");
            assertThat(record.value()).isEqualTo("{\"hello\":\"kafka\"}");
        });
    }

    @Test
    void aValueWrittenToRedisIsReadBackAndExpires() {
        String key = "round-trip:" + UUID.randomUUID();
        redis.value(String.class).setex(key, 60, "hello redis").await().atMost(Duration.ofSeconds(10));

        assertThat(redis.value(String.class).get(key).await().atMost(Duration.ofSeconds(10))).isEqualTo("hello redis");
        assertThat(redis.key().ttl(key).await().atMost(Duration.ofSeconds(10))).isBetween(1L, 60L);
    }
}
