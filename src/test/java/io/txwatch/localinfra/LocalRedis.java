package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped in the embedded-redis jar) on 127.0.0.1, without
 * persistence, working in a throw-away directory. It can be stopped and started again on the same port,
 * which is how the tests show that readiness follows Redis.
 */
final class LocalRedis implements AutoCloseable {

    private final int port;
    private final Path workingDirectory;
    private RedisServer server;

    private LocalRedis(int port, Path workingDirectory) {
        this.port = port;
        this.workingDirectory = workingDirectory;
    }

    static LocalRedis start(Path workingDirectory) {
        LocalRedis redis = new LocalRedis(FreePort.onLoopback(), workingDirectory);
        redis.resume();
        return redis;
    }

    synchronized void resume() {
        if (server != null) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                server = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("dir " + workingDirectory)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .setting("protected-mode yes")
                        .build();
                server.start();
                return;
            } catch (IOException e) {
                server = null;
                // the binary just extracted can be briefly held open by a process another thread forks at that moment
                if (attempt < 3 && textFileBusy(e)) {
                    sleep(Duration.ofMillis(200L * attempt));
                    continue;
                }
                throw new UncheckedIOException("Redis did not start on port " + port, e);
            }
        }
    }

    private static boolean textFileBusy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Text file busy")) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Redis", e);
        }
    }

    synchronized void pause() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not stop", e);
        } finally {
            server = null;
        }
    }

    /** The redis-server process, a child of this JVM. */
    Optional<ProcessHandle> process() {
        return ProcessHandle.current().children()
                .filter(child -> child.info().command().map(command -> command.contains("redis")).orElse(false))
                .findFirst();
    }

    int port() {
        return port;
    }

    Map<String, String> serviceConfig() {
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        pause();
    }
}
