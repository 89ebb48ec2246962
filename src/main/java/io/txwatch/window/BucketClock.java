package io.txwatch.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Event-time buckets shared by every replica, for a detector that judges time buckets rather than events. Batches
 * add their counts to the buckets they fall in; a bucket closes when the watermark (the slowest active Kafka
 * partition's newest event time, or the wall clock when the stream is silent) passes its end plus the allowed
 * lateness; a replica claims closed buckets under a lease, judges them, and commits their summaries to a history
 * that later baselines read. All of it lives in Redis under one hash tag, so the scripts stay atomic on a cluster.
 */
public final class BucketClock {

    /**
     * @param bucket length of a bucket
     * @param allowedLateness how long after its end a bucket waits for late events
     * @param idleAfter a partition that advanced no longer ago than this (wall clock) holds the watermark back
     * @param lease how long a claim is exclusive before another replica may take the buckets over
     * @param mostBucketsPerClaim a claim takes at most this many buckets, the rest wait for the next
     * @param longestStretch after a longer silence only this much of it is judged; older buckets are skipped
     * @param historyKept how long judged buckets' summaries are kept for baselines
     * @param mostLabels how many distinct labels are counted apart; the others are counted as {@link #OVERFLOW_LABEL}
     */
    public record Settings(Duration bucket, Duration allowedLateness, Duration idleAfter, Duration lease,
            int mostBucketsPerClaim, Duration longestStretch, Duration historyKept, int mostLabels) {
    }

    /** Marks a counter that keeps its largest value (the bucket's largest order) instead of a sum. */
    public static final String LARGEST_PREFIX = "^";

    /** The label that counters of labels beyond {@link Settings#mostLabels()} are counted under. */
    public static final String OVERFLOW_LABEL = "other";

    /**
     * What one event adds to its bucket. Counters whose name ends in {@code @<label>} are the label's own; they move to
     * {@code @other} when the label is not among the first {@link Settings#mostLabels()}. A counter whose name starts
     * with {@link #LARGEST_PREFIX} keeps the largest value any event gave it, not their sum.
     *
     * @param id counts once per bucket, whichever batch brings it
     */
    public record Increment(String id, Instant bucketStart, String label, Map<String, Long> counters) {
    }

    /** Buckets claimed for judging, {@code first} to {@code last} inclusive. */
    public record Claim(String owner, Instant first, Instant last, long skipped, Instant watermark) {

        public List<Instant> buckets(Duration bucket) {
            List<Instant> starts = new ArrayList<>();
            for (Instant start = first; !start.isAfter(last); start = start.plus(bucket)) {
                starts.add(start);
            }
            return starts;
        }
    }

    /** A judged bucket's summary, kept in the history in whatever form the detector chose. */
    public record Summary(Instant bucketStart, String text) {
    }

    /** The claimed buckets' counters, and the history entries asked for. */
    public record Contents(Map<Instant, Map<String, Long>> counters, List<Summary> history) {
    }

    private final WindowStore store;
    private final Settings settings;
    private final String clockKey;
    private final String historyKey;
    private final String bucketPrefix;
    private final String labelsKey;

    public BucketClock(WindowStore store, WindowConfig windows, String name, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.clockKey = windows.shopKey(name + ":clock");
        this.historyKey = windows.shopKey(name + ":history");
        this.bucketPrefix = windows.shopKey(name + ":bucket:");
        this.labelsKey = windows.shopKey(name + ":labels");
    }

    public Instant bucketOf(Instant at) {
        long size = settings.bucket().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
    }

    /**
     * Adds events to their buckets and moves the partitions' watermarks on. An event already counted in its bucket, by
     * an earlier delivery of any batch, adds nothing.
     *
     * @return the events that came too late for their bucket, which was closed already
     */
    public Uni<Long> accumulate(Map<Integer, Instant> newestByPartition, List<Increment> increments, Instant now) {
        Map<Instant, List<Increment>> byBucket = new TreeMap<>();
        increments.forEach(increment -> byBucket.computeIfAbsent(increment.bucketStart(), start -> new ArrayList<>()).add(increment));
        List<String> keys = new ArrayList<>(List.of(clockKey, labelsKey));
        List<String> args = new ArrayList<>(List.of(
                Long.toString(settings.bucket().plus(settings.allowedLateness()).plus(settings.longestStretch()).toMillis()),
                Long.toString(now.toEpochMilli()), Long.toString(settings.bucket().toMillis()),
                Integer.toString(settings.mostLabels()), OVERFLOW_LABEL, Long.toString(settings.historyKept().toMillis()),
                Integer.toString(newestByPartition.size())));
        newestByPartition.forEach((partition, newest) -> {
            args.add(partition.toString());
            args.add(Long.toString(newest.toEpochMilli()));
        });
        byBucket.forEach((start, events) -> {
            keys.add(countersKey(start));
            keys.add(idsKey(start));
            args.add(Long.toString(start.toEpochMilli()));
            args.add(Integer.toString(events.size()));
            for (Increment event : events) {
                args.add(event.id());
                args.add(event.label());
                args.add(Integer.toString(event.counters().size()));
                event.counters().forEach((counter, increment) -> {
                    args.add(counter);
                    args.add(increment.toString());
                });
            }
        });
        return store.one(WindowScript.BUCKET_ACCUMULATE.call(keys, args)).map(response -> response.get(0).toLong());
    }

    /**
     * The buckets due for judging that no other replica holds, if any.
     *
     * @param caughtUp partitions the caller has processed to their end, confirmed now: only a partition confirmed
     *        within the idle time can count as silent and let the wall clock close buckets
     */
    public Uni<Optional<Claim>> claim(String owner, Instant now, Set<Integer> caughtUp) {
        List<String> args = new ArrayList<>(List.of(owner,
                Long.toString(now.toEpochMilli()), Long.toString(settings.lease().toMillis()),
                Long.toString(settings.bucket().toMillis()), Long.toString(settings.allowedLateness().toMillis()),
                Long.toString(settings.idleAfter().toMillis()), Integer.toString(settings.mostBucketsPerClaim()),
                Long.toString(settings.longestStretch().toMillis())));
        caughtUp.forEach(partition -> args.add(partition.toString()));
        return store.one(WindowScript.BUCKET_CLAIM.call(List.of(clockKey), args))
                .map(response -> response.get(0).toInteger() == 0 ? Optional.empty()
                        : Optional.of(new Claim(owner, instant(response.get(1)), instant(response.get(2)),
                                response.get(3).toLong(), instant(response.get(4)))));
    }

    /** Reads the claimed buckets' counters and the history between each pair of instants in {@code historyRanges}. */
    public Uni<Contents> read(Claim claim, List<Instant[]> historyRanges) {
        List<Instant> buckets = claim.buckets(settings.bucket());
        List<Request> requests = new ArrayList<>();
        buckets.forEach(start -> requests.add(Request.cmd(Command.HGETALL).arg(countersKey(start))));
        historyRanges.forEach(range -> requests.add(Request.cmd(Command.ZRANGEBYSCORE).arg(historyKey)
                .arg(range[0].toEpochMilli()).arg(range[1].toEpochMilli() - 1).arg("WITHSCORES")));
        return store.pipeline(requests).map(responses -> {
            Map<Instant, Map<String, Long>> counters = new HashMap<>();
            for (int i = 0; i < buckets.size(); i++) {
                Map<String, Long> fields = new HashMap<>();
                Response hash = responses.get(i);
                for (String field : hash.getKeys()) {
                    fields.put(field, hash.get(field).toLong());
                }
                counters.put(buckets.get(i), fields);
            }
            List<Summary> history = new ArrayList<>();
            for (int i = buckets.size(); i < responses.size(); i++) {
                history.addAll(scoredMembers(responses.get(i)));
            }
            return new Contents(counters, history);
        });
    }

    /** Records the judged buckets and releases the claim; false when the lease was lost to another replica. */
    public Uni<Boolean> commit(Claim claim, List<Summary> summaries) {
        List<String> keys = new ArrayList<>(List.of(clockKey, historyKey));
        claim.buckets(settings.bucket()).forEach(start -> {
            keys.add(countersKey(start));
            keys.add(idsKey(start));
        });
        List<String> args = new ArrayList<>(List.of(claim.owner(), Long.toString(claim.last().toEpochMilli()),
                Long.toString(settings.historyKept().toMillis())));
        summaries.forEach(summary -> {
            args.add(Long.toString(summary.bucketStart().toEpochMilli()));
            args.add(summary.text());
        });
        return store.one(WindowScript.BUCKET_COMMIT.call(keys, args)).map(response -> response.toInteger() == 1);
    }

    private String countersKey(Instant bucketStart) {
        return bucketPrefix + bucketStart.toEpochMilli();
    }

    private String idsKey(Instant bucketStart) {
        return bucketPrefix + bucketStart.toEpochMilli() + ":ids";
    }

    /** A WITHSCORES reply: pairs under RESP3, a flat member-score list under RESP2. */
    private static List<Summary> scoredMembers(Response entries) {
        List<Summary> members = new ArrayList<>();
        boolean paired = entries.size() > 0 && entries.get(0).isArray();
        for (int j = 0; j < entries.size(); j += paired ? 1 : 2) {
            Response member = paired ? entries.get(j).get(0) : entries.get(j);
            Response score = paired ? entries.get(j).get(1) : entries.get(j + 1);
            members.add(new Summary(instant(score), member.toString()));
        }
        return members;
    }

    private static Instant instant(Response response) {
        return Instant.ofEpochMilli((long) Double.parseDouble(response.toString()));
    }
}
