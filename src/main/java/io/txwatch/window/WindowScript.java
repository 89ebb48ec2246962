package io.txwatch.window;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The Lua scripts that read and change window state atomically on Redis, one read-modify-write each. They are
 * called by their SHA-1 digest; {@link WindowStore} loads them into a Redis that does not know them yet.
 */
public enum WindowScript {
    SLIDING_COUNT("window/sliding-count.lua"),
    SAMPLE_STATS("window/sample-stats.lua"),
    PREVIOUS_POINTS("window/previous-points.lua"),
    BUCKET_ACCUMULATE("window/bucket-accumulate.lua"),
    BUCKET_CLAIM("window/bucket-claim.lua"),
    BUCKET_COMMIT("window/bucket-commit.lua"),
    PARTITION_WATERMARKS("window/partition-watermarks.lua");

    private final String source;
    private final String sha;

    WindowScript(String resource) {
        this.source = read(resource);
        this.sha = sha1(source);
    }

    public Request call(List<String> keys, List<String> args) {
        Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    Request load() {
        return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
    }

    private static String read(String resource) {
        try (InputStream in = WindowScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
