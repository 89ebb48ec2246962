package io.txwatch.detect;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Runs every enabled detector over a batch, side by side: the per-event detectors score it, the bucket detectors
 * add it to their buckets (the {@link BucketTicker} judges those when they close).
 */
@ApplicationScoped
public class DetectionEngine {

    private static final Logger LOG = Logger.getLogger(DetectionEngine.class);

    private final List<TransactionDetector> detectors;
    private final List<BucketDetector> bucketDetectors;

    public DetectionEngine(Instance<TransactionDetector> detectors, Instance<BucketDetector> bucketDetectors) {
        this.detectors = detectors.stream().filter(TransactionDetector::enabled).toList();
        this.bucketDetectors = bucketDetectors.stream().filter(BucketDetector::enabled).toList();
        LOG.infof("Detectors enabled: per event %s, per time bucket %s",
                this.detectors.stream().map(d -> d.type().name()).toList(),
                this.bucketDetectors.stream().map(d -> d.type().name()).toList());
    }

    /** The batch's findings; its events are in their buckets when the result arrives. */
    public Uni<List<Finding>> detect(EventBatch batch) {
        List<Uni<List<Finding>>> runs = new ArrayList<>();
        if (!batch.events().isEmpty()) {
            detectors.forEach(detector -> runs.add(detector.detect(batch.events())));
        }
        bucketDetectors.forEach(detector -> runs.add(detector.accumulate(batch).replaceWith(List.<Finding>of())));
        if (runs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(runs).andFailFast().map(DetectionEngine::flatten);
    }

    private static List<Finding> flatten(List<List<Finding>> perDetector) {
        List<Finding> findings = new ArrayList<>();
        perDetector.forEach(findings::addAll);
        return findings;
    }
}
