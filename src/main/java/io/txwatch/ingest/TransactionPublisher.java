package io.txwatch.ingest;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.txwatch.event.TransactionEvent;
import io.txwatch.event.TransactionEventJson;

/** Publishes events received over HTTP to topic {@code transactions}, keyed by customer id like any shop. */
@ApplicationScoped
public class TransactionPublisher {

    private final MutinyEmitter<byte[]> transactions;

    public TransactionPublisher(
            @Channel("transactions-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384) MutinyEmitter<byte[]> transactions) {
        this.transactions = transactions;
    }

    /** Completes once Kafka has acknowledged every event. */
    public Uni<Void> publish(List<TransactionEvent> events) {
        return Uni.join().all(events.stream().map(this::publish).toList()).andFailFast().replaceWithVoid();
    }

    private Uni<Void> publish(TransactionEvent event) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String> builder()
                .withKey(event.customer().id()).build();
        return transactions.sendMessage(Message.of(TransactionEventJson.write(event)).addMetadata(key));
    }
}
