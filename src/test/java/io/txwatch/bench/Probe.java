package io.txwatch.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.txwatch.bench.Measurements.RedisCounters;
import io.txwatch.localinfra.LocalInfrastructure;
import io.txwatch.localinfra.MetricsScrape;
import io.txwatch.localinfra.ServiceProcess;

/** Reads, at one moment, everything the benchmark compares: counters, lag, CPU time per process. */
final class Probe {

    private final ServiceProcess service;
    private final LocalInfrastructure servers;
    private final LoadGenerator generator;

    Probe(ServiceProcess service, LocalInfrastructure servers, LoadGenerator generator) {
        this.service = service;
        this.servers = servers;
        this.generator = generator;
    }

    /**
     * @param handled    {@link MetricsScrape#handledEvents()}
     * @param cpuSeconds CPU seconds used so far by txwatch, redis, postgresql, kafka (this JVM less the load
     *                   generator's threads), load, and the whole machine
     */
    record Snapshot(long nanos, long sent, double handled, MetricsScrape scrape, RedisCounters redis, Map<String, Double> cpuSeconds) {

        double lag() {
            return sent - handled;
        }

        double secondsSince(Snapshot earlier) {
            return (nanos - earlier.nanos) / 1e9;
        }

        /** Cores each part kept busy since {@code earlier}, on average. */
        Map<String, Double> coresSince(Snapshot earlier) {
            double seconds = secondsSince(earlier);
            Map<String, Double> cores = new HashMap<>();
            cpuSeconds.forEach((part, used) -> cores.put(part, (used - earlier.cpuSeconds.getOrDefault(part, 0.0)) / seconds));
            return cores;
        }
    }

    Snapshot snapshot() {
        long sent = generator.sent();
        Map<String, Double> cpu = new HashMap<>();
        cpu.put("txwatch", Measurements.cpuSeconds(service.handle()));
        servers.serverProcesses().forEach((name, process) -> cpu.put(name, Measurements.cpuSeconds(process)));
        double load = LoadGenerator.cpuNanos() / 1e9;
        cpu.put("load", load);
        cpu.put("kafka", Measurements.ownCpuSeconds(ProcessHandle.current()) - load);
        cpu.put("machine", Measurements.machineBusySeconds());
        MetricsScrape scrape = service.metrics();
        return new Snapshot(System.nanoTime(), sent, scrape.handledEvents(), scrape, RedisCounters.read(servers.redisPort()), cpu);
    }

    Snapshot awaitHandled(long events, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Snapshot now = snapshot();
            if (now.handled() >= events) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("txwatch handled " + (long) now.handled() + " of " + events + " events in "
                        + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** Waits for the service to catch up after a measurement that left a backlog. */
    void awaitLagBelow(double events, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (snapshot().lag() > events && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    long residentMib() {
        return Measurements.residentMib(service.handle());
    }
}
