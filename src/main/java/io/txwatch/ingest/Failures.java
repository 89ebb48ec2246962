package io.txwatch.ingest;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.RetriableException;

import com.fasterxml.jackson.core.JacksonException;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Tells a server that is away from an event that cannot be processed. The first passes: the work waits and is tried
 * again, however long it takes. The second does not pass by waiting: after a few tries the event at fault is set
 * aside in the dead-letter topic, so that it cannot hold up the stream.
 */
final class Failures {

    /**
     * PostgreSQL SQLSTATE classes of a server that is away or busy rather than of bad data: connection exception (08),
     * invalid transaction state such as a read-only transaction on a primary demoted by a failover (25), transaction
     * rollback such as a deadlock (40), insufficient resources (53), object not in prerequisite state such as a lock
     * not available (55), operator intervention such as a shutdown (57), system error (58).
     */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "25", "40", "53", "55", "57", "58");

    /** Redis replies that ask the client to come back later, or tell of a server in trouble rather than of bad data. */
    private static final Set<String> TRANSIENT_REDIS_REPLIES = Set.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
            "MASTERDOWN", "READONLY", "NOSCRIPT", "OOM", "MISCONF", "NOREPLICAS");

    private Failures() {
    }

    /** The server whose work failed, as far as the failure tells. */
    enum Server {
        POSTGRESQL, REDIS, KAFKA, UNKNOWN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static Server serverOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String type = cause.getClass().getName();
            if (cause instanceof PgException || type.startsWith("io.vertx.pgclient") || type.startsWith("io.vertx.sqlclient")
                    || type.startsWith("io.vertx.mutiny.sqlclient")) {
                return Server.POSTGRESQL;
            }
            if (isRedisReply(type)) {
                return Server.REDIS;
            }
            if (type.startsWith("org.apache.kafka")) {
                return Server.KAFKA;
            }
        }
        return Server.UNKNOWN;
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && state.length() == 5 && TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2));
            }
            if (cause instanceof JacksonException) {
                return false;
            }
            if (cause instanceof IOException || cause instanceof TimeoutException || cause instanceof RetriableException
                    || cause instanceof ClosedConnectionException || isTransientByName(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A one-line reason for the dead-letter header: the failure at the root (retries wrap it), in at most a few hundred
     * characters.
     */
    static String reason(Throwable failure) {
        Throwable root = root(failure);
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        String reason = "could not be processed (" + root.getClass().getSimpleName() + message + ")";
        return reason.length() <= 300 ? reason : reason.substring(0, 299) + "…";
    }

    /** The failure that started it all: retries and wrappers put their own exception around it. */
    static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The Redis client's failures: Redis's error replies arrive as ErrorType. */
    private static boolean isRedisReply(String type) {
        return type.startsWith("io.vertx.redis.client") || type.startsWith("io.vertx.mutiny.redis.client")
                || type.endsWith(".ErrorType");
    }

    /**
     * Failures known only by their class name or message: Vert.x's connection and pool timeouts and closed connections
     * have no public type of their own, Redis errors are reply texts.
     */
    private static boolean isTransientByName(Throwable cause) {
        String type = cause.getClass().getName();
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        if (isRedisReply(type)) {
            int space = message.indexOf(' ');
            String code = space < 0 ? message : message.substring(0, space);
            if (TRANSIENT_REDIS_REPLIES.contains(code) || message.startsWith("ERR max number of clients")) {
                return true;
            }
        }
        return type.contains("Timeout") || type.contains("ConnectException")
                || message.startsWith("Connection refused") || message.contains("onnection is closed")
                || message.contains("onnection was closed") || message.contains("Connection reset")
                || message.startsWith("Failed to connect") || message.contains("Cannot connect");
    }
}
