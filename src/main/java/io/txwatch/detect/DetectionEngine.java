package io.txwatch.detect;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.txwatch.event.TransactionEvent;
import io.txwatch.window.LateEvents;

/**
 * Runs every enabled detector over a batch, side by side: the per-event detectors score it (those with windows
 * only its events on time), the bucket detectors add it to their buckets (the {@link BucketTicker} judges those
 * when they close).
 */
@ApplicationScoped
public class DetectionEngine {

    private static final Logger LOG = Logger.getLogger(DetectionEngine.class);

    private final List<TransactionDetector> detectors;
    private final List<BucketDetector> bucketDetectors;

    private final LateEvents lateEvents;
    private final RiskAssessor risk;

    public DetectionEngine(Instance<TransactionDetector> detectors, Instance<BucketDetector> bucketDetectors,
            LateEvents lateEvents, RiskAssessor risk) {
        this.lateEvents = lateEvents;
        this.risk = risk;
        this.detectors = detectors.stream().filter(TransactionDetector::enabled).toList();
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
                runs.add(Uni.createFrom().deferred(() -> detector.detect(events)));
            }
        }
        bucketDetectors.forEach(detector -> runs.add(Uni.createFrom().deferred(() -> detector.accumulate(batch))
                .replaceWith(List.<Finding>of())));
        if (runs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(runs).andFailFast().map(DetectionEngine::flatten).map(risk::assess);
    }

    private static List<Finding> flatten(List<List<Finding>> perDetector) {
        List<Finding> findings = new ArrayList<>();
        perDetector.forEach(findings::addAll);
        return findings;
    }
}
