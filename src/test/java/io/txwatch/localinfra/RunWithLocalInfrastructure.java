package io.txwatch.localinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The README's run command: starts Kafka, Redis and PostgreSQL on 127.0.0.1, then the packaged txwatch
 * service as a child process pointed at them. Ctrl-C (or the service's own exit) stops the service and
 * every server, and deletes their data; so does a watchdog if this JVM is killed outright.
 */
public final class RunWithLocalInfrastructure {

    private static final Logger LOG = Logger.getLogger(RunWithLocalInfrastructure.class);

    /**
     * Settings for a local demo: the service listens on loopback only, and the simulated shop streams its
     * catalog and transactions (with labelled anomalies) into the pipeline. A small shop (300 shoppers, 40 events a
     * minute at peak) whose thirty hours of history replay in well under a minute: every shopper gets a day-long
     * profile of usual hours and every marketplace item a price history, so that every kind of anomaly, unusual
     * hours included, is among those replayed, whatever the hour of the run. Volume shocks come about hourly after
     * the first two hours, so that the replay holds some.
     */
    private static final Map<String, String> LOCAL_DEMO_CONFIG = Map.of(
            "quarkus.http.host", "127.0.0.1",
            "quarkus.http.port", "8080",
            "txwatch.simulator.enabled", "true",
            "txwatch.simulator.history", "P1DT6H",
            "txwatch.simulator.customers", "300",
            "txwatch.simulator.peak-events-per-minute", "40",
            "txwatch.simulator.rate", "1000",
            "txwatch.simulator.shocks.mean-interval", "PT1H");

    private RunWithLocalInfrastructure() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("Usage: RunWithLocalInfrastructure <path to quarkus-run.jar>");
        }
        LocalInfrastructure infrastructure = LocalInfrastructure.start();
        Map<String, String> config = new HashMap<>(infrastructure.serviceConfig());
        config.putAll(LOCAL_DEMO_CONFIG);
        ServiceProcess service = ServiceProcess.start(Path.of(args[0]), List.of(), config, Optional.empty());
        infrastructure.stopWithServers(service.handle());
        Thread stopAll = new Thread(() -> stop(service, infrastructure), "txwatch-local-shutdown");
        Runtime.getRuntime().addShutdownHook(stopAll);

        int exitCode = service.waitFor();
        LOG.infof("txwatch exited with code %d", exitCode);
        stop(service, infrastructure);
    }

    private static synchronized void stop(ServiceProcess service, LocalInfrastructure infrastructure) {
        service.close();
        infrastructure.close();
    }
}
