package io.txwatch.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.txwatch.event.TestEvents;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.LocalInfrastructureResource.InjectLocalInfrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

/**
 * What the consumer does when processing fails, on the real servers: an event PostgreSQL refuses goes to the
 * dead-letter topic while its batch goes on; a database that blocks every write, or a Redis that is away, holds
 * consumption, which readiness reports, and nothing is lost or stored twice when it is back.
 */
@QuarkusTest
@TestProfile(ConsumerFaultsTest.ShortStall.class)
class ConsumerFaultsTest {

    /** A stall is reported after 3 s instead of 2 min, so that the test can wait for it. */
    public static class ShortStall implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("txwatch.ingest.stalled-after", "PT3S");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(60);

    /** A PostgreSQL trigger that refuses ledger rows of ids starting with "poison-", as a numeric overflow would. */
    private static final String POISON_TRIGGER = """
            CREATE OR REPLACE FUNCTION txwatch_test_poison() RETURNS trigger AS $$
            BEGIN
              IF NEW.transaction_id LIKE 'poison-%' THEN
                RAISE EXCEPTION 'refused for a test' USING ERRCODE = '22003';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE OR REPLACE TRIGGER txwatch_test_poison BEFORE INSERT ON processed_transaction
              FOR EACH ROW EXECUTE FUNCTION txwatch_test_poison()""";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PipelineProbe probe;

    @Inject
    Pool client;

    @Inject
    MeterRegistry registry;

    @InjectLocalInfrastructure
    LocalInfrastructure infrastructure;

    KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
        client.query("DROP TRIGGER IF EXISTS txwatch_test_poison ON processed_transaction").execute().await().atMost(WITHIN);
    }

    @Test
    void anEventTheDatabaseRefusesGoesToTheDeadLetterTopicAndTheRestOfItsBatchIsStored() throws Exception {
        client.query(POISON_TRIGGER).execute().await().atMost(WITHIN);
        String customer = TestEvents.uniqueId("customer");
        List<String> good = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = TestEvents.uniqueId(i == 7 || i == 13 ? "poison" : "tx");
            if (!id.startsWith("poison")) {
                good.add(id);
            }
            records.add(new ProducerRecord<>("transactions", customer, TestEvents.laptopPurchase(id, customer, "SKU", "10")));
        }
        double unprocessableBefore = registry.get("txwatch.events.unprocessable").counter().count();
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics("transactions.dlq");

        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);

        await().atMost(WITHIN).until(() -> mine(deadLetters, customer).size() == 2);
        for (String id : good) {
            await().atMost(WITHIN).until(() -> probe.processedCount(id) == 1);
        }
        deadLetters.stop();
        assertThat(mine(deadLetters, customer)).allSatisfy(letter -> {
            assertThat(letter.value()).contains("\"transactionId\":\"poison-");
            assertThat(header(letter, DeadLetterPublisher.REASON_HEADER)).startsWith("could not be processed (")
                    .contains("refused for a test");
            assertThat(header(letter, DeadLetterPublisher.TOPIC_HEADER)).isEqualTo("transactions");
        });
        assertThat(registry.get("txwatch.events.unprocessable").counter().count()).isEqualTo(unprocessableBefore + 2);
    }

    @Test
    void aDatabaseThatBlocksWritesHoldsConsumptionReportedByReadinessAndNothingIsLostOrDoubled() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String id = TestEvents.uniqueId("tx");
        SqlConnection connection = client.getConnection().await().atMost(WITHIN);
        Transaction lock = connection.begin().await().atMost(WITHIN);
        try {
            connection.query("LOCK TABLE processed_transaction IN ACCESS EXCLUSIVE MODE").execute().await().atMost(WITHIN);

            PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(id, customer, "SKU", "10"));

            await().atMost(WITHIN).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("transactions consumption")));
        } finally {
            lock.commit().await().atMost(WITHIN);
            connection.close().await().atMost(WITHIN);
        }
        await().atMost(WITHIN).until(() -> probe.processedCount(id) == 1);
        await().atMost(WITHIN).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")));
        assertThat(probe.transaction(id)).isNotNull();
        assertThat(probe.processedCount(id)).isEqualTo(1);
    }

    @Test
    void whileRedisIsAwayConsumptionWaitsAndThenGoesOnWithNothingLostOrDoubled() throws Exception {
        String customer = TestEvents.uniqueId("customer");
        String id = TestEvents.uniqueId("tx");
        infrastructure.stopRedis();
        try {
            PipelineProbe.publish(kafka, "transactions", customer, TestEvents.laptopPurchase(id, customer, "SKU", "10"));

            await().atMost(WITHIN).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("transactions consumption")));
            assertThat(probe.processedCount(id)).isZero();
        } finally {
            infrastructure.restartRedis();
        }
        await().atMost(WITHIN).until(() -> probe.processedCount(id) == 1);
        await().atMost(WITHIN).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(200));
        assertThat(probe.transaction(id)).isNotNull();
    }

    private static List<ConsumerRecord<String, String>> mine(ConsumerTask<String, String> task, String key) {
        return task.getRecords().stream().filter(record -> key.equals(record.key())).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
