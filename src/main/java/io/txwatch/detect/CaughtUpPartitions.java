package io.txwatch.detect;

import java.util.Set;

import io.smallrye.mutiny.Uni;

/**
 * Which partitions of the transaction stream this replica has processed to their end (its committed offset is the
 * partition's end). A bucket detector takes a stream for silent, and lets the wall clock close its buckets, only on
 * partitions a consumer confirms this way: a consumer that is down or stuck confirms nothing, so its backlog is never
 * mistaken for an outage of the shop.
 */
public interface CaughtUpPartitions {

    /** The partitions this replica holds and has processed to their end; empty when it cannot tell. */
    Uni<Set<Integer>> caughtUp();
}
