package io.txwatch.store;

import java.time.Instant;
import java.util.Set;

import io.txwatch.event.TransactionEvent.PaymentStatus;

/**
 * Which stored transactions to list, newest first; every criterion is optional.
 *
 * @param afterTime with {@code afterId}, the position of the last transaction of the previous page
 */
public record TransactionQuery(Set<PaymentStatus> statuses, String customerId, Instant from, Instant to,
        Instant afterTime, String afterId, int limit) {
}
