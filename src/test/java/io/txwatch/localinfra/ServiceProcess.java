package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged txwatch service ({@code quarkus-run.jar}) as a child process of this JVM, on a port of its own:
 * what the run command, the benchmark and the evaluation start. Being a process of its own, its CPU time and
 * memory can be told apart from the servers' and the load generator's.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the service with the given JVM options and configuration (as system properties); its output goes to
     * {@code log}, or to this process's own output when absent.
     */
    public static ServiceProcess start(Path serviceJar, List<String> jvmOptions, Map<String, String> config,
            Optional<Path> log) {
        int port = Integer.parseInt(config.getOrDefault("quarkus.http.port", String.valueOf(FreePort.onLoopback())));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (!config.containsKey("quarkus.http.port")) {
            command.add("-Dquarkus.http.port=" + port);
        }
        command.add("-jar");
        command.add(serviceJar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        log.ifPresentOrElse(file -> builder.redirectErrorStream(true).redirectOutput(file.toFile()), builder::inheritIO);
        LOG.infof("Starting txwatch on 127.0.0.1:%d: %s", port, serviceJar);
        try {
            return new ServiceProcess(builder.start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException("txwatch did not start", e);
        }
    }

    /** Waits until the readiness check passes; fails if the service exits or is not ready in time. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("txwatch exited with code " + process.exitValue() + " before it was ready");
            }
            if (status("/q/health/ready") == 200) {
                return this;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("txwatch was not ready within " + timeout);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** The body of a GET on this service, which must answer 200. */
    public String get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + pathAndQuery, e);
        }
    }

    /** Every anomaly the service has stored, as the API serves them, newest first, page after page. */
    public List<Map<String, Object>> anomalies() {
        List<Map<String, Object>> anomalies = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page;
            try {
                page = JSON.readValue(get("/api/v1/anomalies?limit=500"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))),
                        new TypeReference<Map<String, Object>>() {
                        });
            } catch (IOException e) {
                throw new UncheckedIOException("The anomalies could not be read", e);
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            anomalies.addAll(items);
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return anomalies;
    }

    /** A scrape of the service's Prometheus metrics. */
    public MetricsScrape metrics() {
        return MetricsScrape.parse(get("/q/metrics"));
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** The status code of a GET on this service, -1 when it does not answer. */
    public int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Asks the service to stop, and kills it if it has not within 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
