package io.txwatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.event.TestEvents;
import io.txwatch.ingest.PipelineProbe;

/** With raw storage off, an event is processed and remembered (no duplicates) but its content is not kept. */
@QuarkusTest
@TestProfile(RawStorageOffTest.RawStorageOff.class)
class RawStorageOffTest {

    public static class RawStorageOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("txwatch.store.raw-transactions", "false");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PipelineProbe probe;

    @Test
    void theEventIsProcessedButNotStored() throws Exception {
        String id = TestEvents.uniqueId("tx");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            PipelineProbe.publish(kafka, "transactions", "c-1", TestEvents.laptopPurchase(id, "c-1", "SKU", "10"));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> probe.processedCount(id) == 1);
        assertThat(probe.transaction(id)).isNull();
    }
}
