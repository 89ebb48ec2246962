package io.txwatch.detect;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.txwatch.event.TransactionEvent;
import io.txwatch.metrics.DetectorMetrics;
import io.txwatch.window.LateEvents;

/**
 * Runs every enabled detector over a batch, side by side: the per-event detectors score it (those with windows
 * only its events on time), the bucket detectors add it to their buckets (the {@link BucketTicker} judges those
 * when they close).
 */
@Startup
@ApplicationScoped
public class DetectionEngine {

    private static final Logger LOG = Logger.getLogger(DetectionEngine.class);

    private final List<TransactionDetector> detectors;
    private final List<BucketDetector> bucketDetectors;

    private final LateEvents lateEvents;
    private final RiskAssessor risk;
    private final DetectorMetrics metrics;

    public DetectionEngine(Instance<TransactionDetector> detectors, Instance<BucketDetector> bucketDetectors,
            LateEvents lateEvents, RiskAssessor risk, DetectorMetrics metrics) {
        this.lateEvents = lateEvents;
        this.risk = risk;
        this.metrics = metrics;
        this.detectors = detectors.stream().filter(TransactionDetector::enabled).toList();
        this.detectors.forEach(detector -> metrics.expect(detector.type().name()));
        this.bucketDetectors = bucketDetectors.stream().filter(BucketDetector::enabled).toList();
        LOG.infof("Detectors enabled: per event %s, per time bucket %s",
                this.detectors.stream().map(d -> d.type().name()).toList(),
                this.bucketDetectors.stream().map(d -> d.type().name()).toList());
    }

    /**
     * The batch's alarms (each detector's own, and the typologies' where signals coincide); its events are in their buckets when the result arrives. Each detector builds its
     * requests when its turn comes, right after the previous one's pipeline went out, so Redis works on one detector's
     * pipeline while the next is built.
     */
    public Uni<List<Finding>> detect(EventBatch batch) {
        List<Uni<List<Finding>>> runs = new ArrayList<>();
        for (TransactionDetector detector : detectors) {
            List<TransactionEvent> events = detector.keepsWindows() ? batch.events() : batch.allEvents();
            if (detector.keepsWindows()) {
                lateEvents.count(detector.type(), batch.lateEvents().size());
            }
            if (!events.isEmpty()) {
                metrics.judged(detector.type().name(), events.size());
                runs.add(Uni.createFrom().deferred(() -> detector.detect(events)));
            }
        }
        bucketDetectors.forEach(detector -> runs.add(Uni.createFrom().deferred(() -> detector.accumulate(batch))
                .replaceWith(List.<Finding>of())));
        if (runs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(runs).andFailFast().map(this::flatten).map(risk::assess);
    }

    /** Every detector's findings in one list, each counted as its detector's signal. */
    private List<Finding> flatten(List<List<Finding>> perDetector) {
        List<Finding> findings = new ArrayList<>();
        perDetector.forEach(findings::addAll);
        findings.forEach(finding -> metrics.signalled(finding.type().name(),
                finding.alarm() ? DetectorMetrics.Outcome.ALARM : DetectorMetrics.Outcome.EVIDENCE));
        return findings;
    }
}
