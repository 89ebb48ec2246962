package io.txwatch.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

class SimulatorCommandTest {

    private static final Instant NOW = Instant.parse("2026-03-02T12:34:56.789Z");

    @Test
    void readsEveryOption() {
        SimulatorCommand.Invocation invocation = SimulatorCommand.parse(new String[] {
                "--bootstrap-servers", "kafka-1:9092,kafka-2:9092", "--rate", "500", "--seed", "7", "--history", "PT2H",
                "--events", "100000", "--customers", "500", "--products", "120", "--peak-events-per-minute", "60",
                "--failure-rate", "0.05", "--anomaly-rate", "0.02", "--currency", "eur", "--no-shocks",
                "--catalog-topic", "demo-catalog", "--transactions-topic", "demo-transactions" }, NOW);

        assertThat(invocation.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        StreamSettings stream = invocation.stream();
        assertThat(stream.seed()).isEqualTo(7);
        assertThat(stream.start()).isEqualTo(Instant.parse("2026-03-02T10:34:56Z"));
        assertThat(stream.customers()).isEqualTo(500);
        assertThat(stream.products()).isEqualTo(120);
        assertThat(stream.peakEventsPerMinute()).isEqualTo(60);
        assertThat(stream.failureRate()).isEqualTo(0.05);
        assertThat(stream.anomalyRate()).isEqualTo(0.02);
        assertThat(stream.currency()).isEqualTo("EUR");
        assertThat(stream.shocks()).isFalse();
        StreamPublisher.Settings publishing = invocation.publishing();
        assertThat(publishing.eventsPerSecond()).isEqualTo(500);
        assertThat(publishing.maxEvents()).hasValue(100_000);
        assertThat(publishing.catalogTopic()).isEqualTo("demo-catalog");
        assertThat(publishing.transactionsTopic()).isEqualTo("demo-transactions");
    }

    @Test
    void everythingButTheBootstrapServersHasADefault() {
        SimulatorCommand.Invocation invocation = SimulatorCommand.parse(new String[] { "--bootstrap-servers", "127.0.0.1:9092" }, NOW);
        Instant start = NOW.minus(SimulatorCommand.DEFAULT_HISTORY).truncatedTo(ChronoUnit.SECONDS);

        assertThat(invocation.stream()).isEqualTo(StreamSettings.defaults(start));
        assertThat(invocation.publishing()).isEqualTo(StreamPublisher.Settings.defaults());
        assertThat(Duration.between(invocation.stream().start(), NOW)).isBetween(Duration.ofHours(6), Duration.ofHours(6).plusSeconds(1));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> parse()).hasMessageContaining("--bootstrap-servers is required");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--rate")).hasMessageContaining("--rate needs a value");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--speed", "9")).hasMessageContaining("unknown argument --speed");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--history", "6h")).hasMessageContaining("--history");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--rate", "0")).hasMessageContaining("rate");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--currency", "XYZ")).hasMessageContaining("XYZ");
        assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--anomaly-rate", "2")).hasMessageContaining("anomalyRate");
    }

    private static SimulatorCommand.Invocation parse(String... args) {
        return SimulatorCommand.parse(args, NOW);
    }
}
