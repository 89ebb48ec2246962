package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 server (the binaries shipped in zonky's jar) on 127.0.0.1 with a throw-away data
 * directory. As root it runs in a user namespace, since PostgreSQL refuses to run as root.
 */
final class LocalPostgres implements AutoCloseable {

    static final String DATABASE = "txwatch";
    private static final String USER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.port = server.getPort();
    }

    static LocalPostgres start(Path dataDirectory) {
        EmbeddedPostgres server = server(dataDirectory, FreePort.onLoopback());
        createDatabase(server, DATABASE);
        return new LocalPostgres(server, dataDirectory);
    }

    /**
     * A server on {@code dataDirectory}: initialised there when the folder is new, else the one there, recovered from its
     * log. The folder is never deleted here (the data root it lies in is), so that the server can be started again.
     */
    private static EmbeddedPostgres server(Path dataDirectory, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // PostgreSQL's own default, which the embedded server turns off: a commit returns only once its
                    // write-ahead log has left the server, so a server killed outright keeps what it acknowledged
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** Kills the postmaster with SIGKILL; its backends notice and exit. */
    synchronized void crash() {
        process().ifPresent(postmaster -> {
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        });
        // releases the data directory's lock; stopping the dead postmaster fails, and is only logged
        close();
    }

    /** Starts a server again on the same port and data directory, after a {@link #crash()}. */
    synchronized void restart() {
        server = server(dataDirectory, port);
    }

    private static void createDatabase(EmbeddedPostgres server, String database) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database, e);
        }
    }

    /** The postmaster, whose pid PostgreSQL writes on the first line of {@code postmaster.pid}. */
    Optional<ProcessHandle> process() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    Map<String, String> serviceConfig() {
        return serviceConfig(DATABASE);
    }

    /** The configuration for a database of its own on the same server, created empty. */
    Map<String, String> newDatabaseConfig(String database) {
        createDatabase(server, database);
        return serviceConfig(database);
    }

    private Map<String, String> serviceConfig(String database) {
        String hostAndPort = "127.0.0.1:" + server.getPort() + "/" + database;
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + hostAndPort,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostAndPort,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
