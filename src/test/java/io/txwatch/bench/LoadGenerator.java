package io.txwatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.txwatch.simulate.Catalog.Product;
import io.txwatch.simulate.StreamPublisher;
import io.txwatch.simulate.TransactionStream;

/**
 * Publishes the simulated shop's events to Kafka, either as a backlog as fast as it can, or on a thread of its own
 * at a set rate. The records are those of the simulator, so txwatch and the bare consumer read the same bytes.
 */
final class LoadGenerator implements AutoCloseable {

    private static final String CLIENT_ID = "benchmark-load";

    private final KafkaProducer<String, byte[]> producer;
    private final TransactionStream stream;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile double eventsPerSecond;
    private volatile boolean closed;
    private final Thread pacer;

    LoadGenerator(String bootstrapServers, TransactionStream stream, String topic) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024),
                new StringSerializer(), new ByteArraySerializer());
        this.stream = stream;
        this.topic = topic;
        this.pacer = new Thread(this::paceForever, "benchmark-pacer");
        this.pacer.setDaemon(true);
    }

    void publishCatalog(String catalogTopic) {
        for (Product product : stream.catalog().products()) {
            producer.send(StreamPublisher.catalogRecord(catalogTopic, product), this::onSent);
        }
        producer.flush();
    }

    /** Publishes {@code count} events back to back, on the caller's thread; the rate must be 0 meanwhile. */
    void publishBacklog(long count) {
        for (long i = 0; i < count; i++) {
            send();
        }
        producer.flush();
        throwIfFailed();
    }

    /** From now on, publishes this many events per second on the pacing thread; 0 pauses it. */
    void pace(double eventsPerSecond) {
        this.eventsPerSecond = eventsPerSecond;
        if (!pacer.isAlive() && eventsPerSecond > 0) {
            pacer.start();
        }
    }

    long sent() {
        return sent.get();
    }

    /** CPU time of this generator's threads (pacing and the producer's network thread), in nanoseconds. */
    static long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(info -> info != null && (info.getThreadName().equals("benchmark-pacer")
                        || info.getThreadName().contains(CLIENT_ID)))
                .mapToLong(info -> Math.max(0, threads.getThreadCpuTime(info.getThreadId())))
                .sum();
    }

    private void paceForever() {
        double rate = 0;
        long since = System.nanoTime();
        long sentSince = 0;
        while (!closed) {
            double wanted = eventsPerSecond;
            if (wanted != rate) {
                rate = wanted;
                since = System.nanoTime();
                sentSince = 0;
            }
            long due = (long) (rate * (System.nanoTime() - since) / 1e9);
            if (due <= sentSince) {
                sleepBriefly();
                continue;
            }
            for (; sentSince < due && !closed && eventsPerSecond == rate; sentSince++) {
                send();
            }
        }
    }

    private void send() {
        ProducerRecord<String, byte[]> record = StreamPublisher.eventRecord(topic, stream.next());
        producer.send(record, this::onSent);
        sent.incrementAndGet();
    }

    private void onSent(Object metadata, Exception error) {
        if (error != null) {
            failure.compareAndSet(null, error);
        }
    }

    private void throwIfFailed() {
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka refused a benchmark record", failure.get());
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            pacer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        throwIfFailed();
    }
}
