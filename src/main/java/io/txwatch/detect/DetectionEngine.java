package io.txwatch.detect;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.txwatch.event.TransactionEvent;

/** Runs every enabled detector over a batch, side by side, and gathers their findings. */
@ApplicationScoped
public class DetectionEngine {

    private static final Logger LOG = Logger.getLogger(DetectionEngine.class);

    private final List<TransactionDetector> detectors;

    public DetectionEngine(Instance<TransactionDetector> detectors) {
        this.detectors = detectors.stream().filter(TransactionDetector::enabled).toList();
        LOG.infof("Transaction detectors enabled: %s", this.detectors.stream().map(d -> d.type().name()).toList());
    }

    public Uni<List<Finding>> detect(List<TransactionEvent> batch) {
        if (batch.isEmpty() || detectors.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<List<Finding>>> runs = detectors.stream().map(detector -> detector.detect(batch)).toList();
        return Uni.join().all(runs).andFailFast().map(DetectionEngine::flatten);
    }

    private static List<Finding> flatten(List<List<Finding>> perDetector) {
        List<Finding> findings = new ArrayList<>();
        perDetector.forEach(findings::addAll);
        return findings;
    }
}
