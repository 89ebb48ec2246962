package io.txwatch.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The ledger of transaction ids already processed, which makes redelivery harmless. */
@Entity
@Table(name = "processed_transaction")
public class ProcessedTransaction {

    @Id
    @Column(name = "transaction_id")
    public String transactionId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
