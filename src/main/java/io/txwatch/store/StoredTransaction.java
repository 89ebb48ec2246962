package io.txwatch.store;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.txwatch.event.TransactionEvent.PaymentStatus;

/** A raw transaction as received, stored when raw storage is on. */
@Entity
@Table(name = "transaction")
public class StoredTransaction {

    @Id
    @Column(name = "transaction_id")
    public String transactionId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "customer_id", nullable = false)
    public String customerId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PaymentStatus status;

    @Column(nullable = false, precision = 19, scale = 4)
    public BigDecimal amount;

    @Column(nullable = false, columnDefinition = "char(3)")
    public String currency;

    @Column(nullable = false)
    public String channel;

    /** The normalised event as JSON text, so that the API can return it exactly as it was accepted. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String event;
}
