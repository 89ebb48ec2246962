package io.txwatch.detect;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.txwatch.store.PipelineStore;

/**
 * The wall-clock timer of the bucket detectors: closes due buckets even when no event arrives, which is the
 * only way to notice that none did. Every replica ticks; the buckets' claims decide who judges what.
 */
@ApplicationScoped
public class BucketTicker {

    private static final Logger LOG = Logger.getLogger(BucketTicker.class);

    private final List<BucketDetector> detectors;
    private final PipelineStore store;
    private final CaughtUpPartitions consumption;
    private final Clock clock;

    public BucketTicker(Instance<BucketDetector> detectors, PipelineStore store, CaughtUpPartitions consumption, Clock clock) {
        this.detectors = detectors.stream().filter(BucketDetector::enabled).toList();
        this.store = store;
        this.consumption = consumption;
        this.clock = clock;
    }

    @Scheduled(every = "${txwatch.bucket-detectors.close-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> closeDueBuckets() {
        if (detectors.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return consumption.caughtUp().chain(caughtUp -> Multi.createFrom().iterable(detectors)
                .onItem().transformToUniAndConcatenate(detector -> closeDue(detector, caughtUp)
                        .onFailure().invoke(failure -> LOG.warnf("%s could not close its buckets, will try again: %s",
                                detector.type(), failure.getMessage()))
                        .onFailure().recoverWithItem(0))
                .collect().last().replaceWithVoid());
    }

    /** Closes what is due, claim after claim, until nothing is. */
    Uni<Integer> closeDue(BucketDetector detector, Set<Integer> caughtUp) {
        Instant now = clock.instant();
        return detector.closeDue(now, caughtUp, findings -> store.persist(List.of(), findings, now).replaceWithVoid())
                .chain(judged -> judged == 0 ? Uni.createFrom().item(0) : closeDue(detector, caughtUp).map(more -> judged + more));
    }
}
