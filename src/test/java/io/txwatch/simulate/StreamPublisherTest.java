package io.txwatch.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.txwatch.anomaly.AnomalyType;
import io.txwatch.event.TransactionEventJson;
import io.txwatch.simulate.Catalog.Product;
import io.txwatch.simulate.SimulatedEvent.Label;

class StreamPublisherTest {

    private static final Duration FIVE_MILLIS = Duration.ofMillis(5);

    @Test
    void anEventIsNeverReleasedBeforeItsEventTimeNorSoonerThanOneIntervalAfterThePreviousOne() {
        SplittableRandom random = new SplittableRandom(7);
        Instant now = Instant.parse("2026-03-02T12:00:00Z");
        Instant previous = now.minusSeconds(3600);
        for (int i = 0; i < 10_000; i++) {
            Instant eventTime = now.plusMillis(random.nextLong(-7_200_000, 7_200_000));

            Instant release = StreamPublisher.releaseAt(eventTime, previous, FIVE_MILLIS);

            assertThat(release).isAfterOrEqualTo(eventTime).isAfterOrEqualTo(previous.plus(FIVE_MILLIS));
            assertThat(release).isIn(eventTime, previous.plus(FIVE_MILLIS));
            previous = release;
        }
    }

    @Test
    void historyIsReleasedAtTheRateAndTheFutureAtItsEventTime() {
        Instant previous = Instant.parse("2026-03-02T12:00:00Z");

        assertThat(StreamPublisher.releaseAt(previous.minus(Duration.ofHours(5)), previous, FIVE_MILLIS))
                .isEqualTo(previous.plus(FIVE_MILLIS));
        assertThat(StreamPublisher.releaseAt(previous.plusSeconds(42), previous, FIVE_MILLIS))
                .isEqualTo(previous.plusSeconds(42));
    }

    @Test
    void aCatalogRecordIsKeyedBySkuAndCarriesTheListPriceAsADecimalNumber() throws IOException {
        Product product = new TransactionStream(StreamSettings.defaults(Sample.START)).catalog().products().get(0);

        ProducerRecord<String, byte[]> record = StreamPublisher.catalogRecord("catalog", product);

        assertThat(record.topic()).isEqualTo("catalog");
        assertThat(record.key()).isEqualTo(product.sku());
        JsonNode json = TransactionEventJson.readTree(record.value());
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("sku", "name", "category", "listPrice", "currency");
        assertThat(json.get("sku").textValue()).isEqualTo(product.sku());
        assertThat(json.get("name").textValue()).isEqualTo(product.name());
        assertThat(json.get("category").textValue()).isEqualTo(product.category());
        assertThat(json.get("currency").textValue()).isEqualTo("INR");
        assertThat(json.get("listPrice").isNumber()).isTrue();
        assertThat(json.get("listPrice").decimalValue()).isEqualByComparingTo(product.catalogPrice());
    }

    @Test
    void aCleanEventCarriesNoGroundTruth() {
        SimulatedEvent clean = Sample.ofDefaults().events.stream().filter(SimulatedEvent::isClean).findFirst().orElseThrow();

        ProducerRecord<String, byte[]> record = StreamPublisher.eventRecord("transactions", clean);

        assertThat(record.key()).isEqualTo(clean.event().customer().id());
        assertThat(record.value()).isEqualTo(TransactionEventJson.write(clean.event()));
        assertThat(record.headers().toArray()).isEmpty();
    }

    @Test
    void anInjectedEventCarriesItsLabelAndIncident() {
        SimulatedEvent velocity = Sample.ofDefaults().labelled(AnomalyType.VELOCITY).get(0);

        Map<String, String> headers = headers(StreamPublisher.eventRecord("transactions", velocity));

        assertThat(headers).containsOnly(Map.entry(StreamPublisher.LABEL_HEADER, "VELOCITY"),
                Map.entry(StreamPublisher.INCIDENT_HEADER, velocity.label().orElseThrow().incidentId()));
    }

    @Test
    void aSalesVolumeEventAlsoCarriesItsPeriodAndShockKind() {
        SimulatedEvent shocked = Sample.ofDefaults().labelled(AnomalyType.SALES_VOLUME).get(0);
        VolumeShock shock = shocked.label().flatMap(Label::shock).orElseThrow();

        Map<String, String> headers = headers(StreamPublisher.eventRecord("transactions", shocked));

        assertThat(headers).containsOnly(Map.entry(StreamPublisher.LABEL_HEADER, "SALES_VOLUME"),
                Map.entry(StreamPublisher.INCIDENT_HEADER, shock.incidentId()),
                Map.entry(StreamPublisher.PERIOD_HEADER, shock.start() + "/" + shock.end()),
                Map.entry(StreamPublisher.SHOCK_HEADER, shock.kind().name()));
    }

    @Test
    void publishesTheCatalogFirstThenTheEventsWithTheirGroundTruthUpToTheLimit() throws InterruptedException {
        StreamSettings settings = manyAnomaliesFrom(Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS));
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        TransactionStream stream = new TransactionStream(settings);
        int products = stream.catalog().products().size();
        StreamPublisher publisher = new StreamPublisher(producer, stream,
                new StreamPublisher.Settings("shop-catalog", "shop-transactions", 1_000_000, OptionalLong.of(500)));

        publisher.start();

        assertThat(publisher.awaitCompletion()).isTrue();
        assertThat(publisher.published()).isEqualTo(500);
        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).hasSize(products + 500);
        assertThat(sent.subList(0, products)).allSatisfy(record -> assertThat(record.topic()).isEqualTo("shop-catalog"));
        List<ProducerRecord<String, byte[]>> events = sent.subList(products, sent.size());
        List<SimulatedEvent> expected = Sample.take(new TransactionStream(settings), 500);
        for (int i = 0; i < events.size(); i++) {
            ProducerRecord<String, byte[]> record = events.get(i);
            assertThat(record.topic()).isEqualTo("shop-transactions");
            assertThat(record.value()).isEqualTo(TransactionEventJson.write(expected.get(i).event()));
            assertThat(Optional.ofNullable(headers(record).get(StreamPublisher.LABEL_HEADER)))
                    .isEqualTo(expected.get(i).label().map(label -> label.type().name()));
        }
        assertThat(expected).anySatisfy(simulated -> assertThat(simulated.isClean()).isFalse());
        publisher.close();
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void closingStopsAPublisherWaitingForLiveEventsAndNothingPublishedLiesInTheFuture() throws InterruptedException {
        StreamSettings settings = manyAnomaliesFrom(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        TransactionStream stream = new TransactionStream(settings);
        CountDownLatch catalogSent = new CountDownLatch(stream.catalog().products().size());
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
                Future<RecordMetadata> sent = super.send(record, callback);
                catalogSent.countDown();
                return sent;
            }
        };
        StreamPublisher publisher = new StreamPublisher(producer, stream,
                new StreamPublisher.Settings("catalog", "transactions", 1_000_000, OptionalLong.empty()));
        publisher.start();
        catalogSent.await();

        publisher.close();

        assertThat(publisher.awaitCompletion()).isTrue();
        assertThat(producer.closed()).isTrue();
        Instant closedAt = Instant.now();
        assertThat(producer.history()).filteredOn(record -> record.topic().equals("transactions")).allSatisfy(record ->
                assertThat(TransactionEventJson.read(record.value())).isInstanceOfSatisfying(TransactionEventJson.Valid.class,
                        valid -> assertThat(valid.event().occurredAt()).isBeforeOrEqualTo(closedAt)));
    }

    private static StreamSettings manyAnomaliesFrom(Instant start) {
        StreamSettings defaults = StreamSettings.defaults(start);
        return new StreamSettings(defaults.seed(), start, defaults.customers(), defaults.products(),
                defaults.peakEventsPerMinute(), defaults.failureRate(), 0.3, defaults.anomalyMix(), defaults.currency(),
                defaults.shocks(), defaults.shockMeanInterval(), defaults.shockWarmUp());
    }

    private static Map<String, String> headers(ProducerRecord<String, byte[]> record) {
        return StreamSupport.stream(record.headers().spliterator(), false)
                .collect(Collectors.toMap(Header::key, header -> new String(header.value(), StandardCharsets.UTF_8)));
    }

    private static List<String> fieldNames(JsonNode json) {
        return StreamSupport.stream(((Iterable<String>) json::fieldNames).spliterator(), false).toList();
    }
}
