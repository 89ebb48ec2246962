package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
        } catch (IOException e) {
            server = null;
            throw new UncheckedIOException("Redis did not start on port " + port, e);
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
