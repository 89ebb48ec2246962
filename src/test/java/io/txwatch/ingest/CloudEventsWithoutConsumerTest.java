package io.txwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.txwatch.event.TestEvents;

/** Serverless mode: the Kafka consumer switched off, the service works from CloudEvents alone. */
@QuarkusTest
@TestProfile(CloudEventsWithoutConsumerTest.ConsumerOff.class)
class CloudEventsWithoutConsumerTest {

    public static class ConsumerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.transactions.enabled", "false");
        }
    }

    @Inject
    PipelineProbe probe;

    @Inject
    KafkaClientService clients;

    @Test
    void withTheConsumerOffACloudEventIsStoredAndScored() throws Exception {
        String id = TestEvents.uniqueId("tx");

        CloudEventIngestResourceTest.binary(id, TestEvents.laptopPurchase(id, TestEvents.uniqueId("customer"), "SKU", "10"))
                .when().post("/api/v1/cloudevents").then().statusCode(200);

        assertThat(clients.getConsumer("transactions")).as("no consumer of topic transactions").isNull();
        assertThat(probe.transaction(id)).isNotNull();
    }
}
