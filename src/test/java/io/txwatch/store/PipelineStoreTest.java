package io.txwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.txwatch.anomaly.Anomaly;
import io.txwatch.anomaly.AnomalyType;
import io.txwatch.anomaly.Severity;
import io.txwatch.detect.Finding;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** How findings land in table {@code anomaly}: once each, and a growing one at its latest revision. */
@QuarkusTest
class PipelineStoreTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);
    private static final Instant DETECTED = Instant.parse("2026-11-29T10:00:00Z");

    @Inject
    PipelineStore store;

    @Inject
    Pool client;

    private static Finding episode(String subject, int revision, Severity severity) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("abnormalBuckets", revision);
        return new Finding(AnomalyType.SALES_VOLUME, subject, severity, revision, 0.5, Instant.parse("2026-09-16T10:40:00Z"),
                null, null, null, "revision " + revision, evidence).revised(revision);
    }

    private void persist(List<Finding> findings, Instant at) {
        store.persist(List.of(), findings, at).await().atMost(AWAIT);
    }

    private Row stored(String subject) {
        return client.preparedQuery("SELECT explanation, revision, severity, detected_at, updated_at FROM anomaly WHERE dedup_key = $1")
                .execute(Tuple.of("SALES_VOLUME:" + subject)).await().atMost(AWAIT).iterator().next();
    }

    @Test
    void aGrowingFindingIsStoredOnceAtItsLatestRevisionWhateverTheOrderItArrivesIn() {
        String subject = "episode-" + UUID.randomUUID();

        persist(List.of(episode(subject, 1, Severity.MODERATE)), DETECTED);
        persist(List.of(episode(subject, 2, Severity.HIGH), episode(subject, 4, Severity.CRITICAL),
                episode(subject, 3, Severity.HIGH)), DETECTED.plusSeconds(60));
        persist(List.of(episode(subject, 2, Severity.HIGH)), DETECTED.plusSeconds(120));

        Row row = stored(subject);
        assertThat(row.getString("explanation")).isEqualTo("revision 4");
        assertThat(row.getInteger("revision")).isEqualTo(4);
        assertThat(row.getString("severity")).isEqualTo("CRITICAL");
        assertThat(row.getOffsetDateTime("detected_at").toInstant()).as("first detected").isEqualTo(DETECTED);
        assertThat(row.getOffsetDateTime("updated_at").toInstant()).as("last changed").isEqualTo(DETECTED.plusSeconds(60));
    }

    @Test
    void onlyAFindingStoredForTheFirstTimeIsRaisedNotItsLaterRevisionsNorARepeat() {
        String subject = "episode-" + UUID.randomUUID();

        List<Anomaly> opened = store.persist(List.of(), List.of(episode(subject, 1, Severity.HIGH)), DETECTED)
                .await().atMost(AWAIT);
        List<Anomaly> grown = store.persist(List.of(), List.of(episode(subject, 2, Severity.CRITICAL)),
                DETECTED.plusSeconds(60)).await().atMost(AWAIT);
        List<Anomaly> repeated = store.persist(List.of(), List.of(episode(subject, 2, Severity.CRITICAL)),
                DETECTED.plusSeconds(120)).await().atMost(AWAIT);

        assertThat(opened).singleElement().satisfies(anomaly -> assertThat(anomaly.severity).isEqualTo(Severity.HIGH));
        assertThat(grown).as("updated, not inserted").isEmpty();
        assertThat(repeated).as("neither").isEmpty();
        assertThat(stored(subject).getString("severity")).isEqualTo("CRITICAL");
    }

    @Test
    void aFindingThatNeverChangesIsKeptAsFirstStored() {
        String subject = "event-" + UUID.randomUUID();
        Finding first = new Finding(AnomalyType.SALES_VOLUME, subject, Severity.HIGH, 1, 0.5, DETECTED, null, null, null,
                "first", Map.of());
        Finding again = new Finding(AnomalyType.SALES_VOLUME, subject, Severity.CRITICAL, 2, 0.6, DETECTED, null, null, null,
                "again", Map.of());

        persist(List.of(first), DETECTED);
        persist(List.of(again), DETECTED.plusSeconds(60));

        assertThat(stored(subject).getString("explanation")).isEqualTo("first");
    }
}
