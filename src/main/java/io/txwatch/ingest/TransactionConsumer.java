package io.txwatch.ingest;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.txwatch.event.TransactionEvent;
import io.txwatch.ingest.DeadLetterPublisher.DeadLetter;

/**
 * Consumes topic {@code transactions} a poll at a time. Invalid records go to the dead-letter topic, valid ones
 * through the {@link IngestPipeline}; the batch is acknowledged, and its offsets become committable, only when both
 * are done. A server that is away pauses consumption until it is back, so nothing is lost; an event that cannot be
 * processed however often it is tried is found by splitting its batch and goes to the dead-letter topic with the
 * failure as its reason, so that it cannot stop the stream.
 */
@ApplicationScoped
public class TransactionConsumer {

    private static final Logger LOG = Logger.getLogger(TransactionConsumer.class);

    private final IngestPipeline pipeline;
    private final DeadLetterPublisher deadLetters;
    private final IngestMetrics metrics;
    private final PartitionWatermarks watermarks;
    private final ConsumptionProgress progress;
    private final EventTimeGuard eventTime;
    private final IngestConfig.Retry retry;

    public TransactionConsumer(IngestPipeline pipeline, DeadLetterPublisher deadLetters, IngestMetrics metrics,
            PartitionWatermarks watermarks, ConsumptionProgress progress, EventTimeGuard eventTime, IngestConfig config) {
        this.pipeline = pipeline;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.watermarks = watermarks;
        this.progress = progress;
        this.eventTime = eventTime;
        this.retry = config.retry();
    }

    @Incoming("transactions")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        progress.started();
        Timer.Sample timing = metrics.startBatch();
        List<Integer> partitions = batch.getRecords().stream().map(record -> record.getPartition()).distinct().toList();
        return optional(() -> watermarks.knowPartitions(partitions), "Reading the partitions' lateness watermarks")
                .chain(() -> {
                    Poll poll = Poll.read(batch, watermarks, eventTime);
                    metrics.invalidFromKafka(poll.refused().size());
                    return setAside(poll.refused())
                            .chain(() -> process(poll.valid(), poll))
                            .chain(() -> optional(() -> watermarks.advance(poll.newestByPartition()),
                                    "Storing the partitions' lateness watermarks"))
                            .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                            .invoke(() -> metrics.batchDone(timing, poll.appendedAtMillis()));
                })
                .eventually(progress::done);
    }

    /**
     * Work the batch can go on without: waited for while a server is away, like the rest, but given up after its tries
     * (the watermarks then lag, and a few late events may count in windows) rather than failing the batch, which would
     * stop the channel.
     */
    private Uni<Void> optional(Supplier<Uni<Void>> work, String what) {
        return retried(work, what).onFailure().invoke(failure -> LOG.errorf(failure, "%s failed; going on without it", what))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Scores and stores {@code events}; when that keeps failing for another reason than a server being away, the two
     * halves are processed apart, down to the single event at fault, which is set aside.
     */
    private Uni<Void> process(List<TransactionEvent> events, Poll poll) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return retried(() -> pipeline.process(events, poll.late(), poll.newestByPartition(), poll.appendedAtById()), "Batch of " + events.size() + " events")
                .onFailure().recoverWithUni(failure -> {
                    if (events.size() > 1) {
                        int half = events.size() / 2;
                        LOG.warnf("A batch of %d events cannot be processed (%s); processing its halves apart to find the "
                                + "events at fault", events.size(), failure.toString());
                        return process(events.subList(0, half), poll).chain(() -> process(events.subList(half, events.size()), poll));
                    }
                    LOG.errorf(failure, "Transaction %s cannot be processed; it goes to the dead-letter topic",
                            events.get(0).transactionId());
                    metrics.unprocessable(events.size());
                    return setAside(poll.lettersFor(events, Failures.reason(failure)));
                });
    }

    /**
     * Publishes dead letters. When Kafka keeps refusing for another reason than being away, each letter is sent again
     * on its own (so the letters before the refused one may arrive twice; the dead-letter topic is at-least-once like
     * the rest), and a letter refused even so (too large once its headers are added, say) goes without the record's
     * bytes, which remain in their topic at the offset the letter names; one refused even then is logged with that
     * offset, the last trace of it, rather than stopping the stream.
     */
    private Uni<Void> setAside(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.deadLettered(letters);
        return retried(() -> deadLetters.publish(letters), letters.size() + " dead letters")
                .onFailure().recoverWithUni(() -> Uni.join().all(letters.stream().map(this::setAside).toList())
                        .andCollectFailures().replaceWithVoid());
    }

    private Uni<Void> setAside(DeadLetter letter) {
        String origin = "Dead letter of %s/%d@%d".formatted(letter.topic(), letter.partition(), letter.offset());
        return retried(() -> deadLetters.publish(letter), origin)
                .onFailure().recoverWithUni(failure -> optional(() -> deadLetters.publish(
                        letter.withoutValue(Failures.root(failure).getClass().getSimpleName())), origin + " without its value"));
    }

    /**
     * The retry policy of every step: a server that is away is waited for, with exponential back-off and without end
     * (readiness tells the wait); any other failure is tried {@code txwatch.ingest.retry.attempts} times in all.
     */
    private Uni<Void> retried(Supplier<Uni<Void>> work, String what) {
        Uni<Void> waitingForServers = Uni.createFrom().<Void> deferred(work::get)
                .onFailure(Failures::isTransient).invoke(failure -> {
                    metrics.retried(true, Failures.serverOf(failure));
                    LOG.warnf("%s not done, a server is away; waiting and retrying: %s", what, failure.toString());
                })
                .onFailure(Failures::isTransient).retry().withBackOff(retry.firstBackOff(), retry.longestBackOff()).indefinitely()
                .onFailure().invoke(failure -> {
                    metrics.retried(false, Failures.serverOf(failure));
                    LOG.warnf("%s failed: %s", what, failure.toString());
                });
        return retry.attempts() <= 1 ? waitingForServers
                : waitingForServers.onFailure().retry().withBackOff(retry.firstBackOff(), retry.longestBackOff()).atMost(retry.attempts() - 1);
    }
}
