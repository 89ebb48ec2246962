package io.txwatch.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole sorted set from Redis over a bare socket: the chaos command needs this one read and no client. */
final class RedisReader {

    private RedisReader() {
    }

    /** The members of the sorted set {@code key}, lowest score first. */
    static List<String> sortedSet(int port, String key) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            out.write(("*4\r\n$6\r\nZRANGE\r\n$" + keyBytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(keyBytes);
            out.write("\r\n$1\r\n0\r\n$2\r\n-1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = line(in);
            if (!header.startsWith("*")) {
                throw new IllegalStateException("Redis answered ZRANGE with " + header);
            }
            int count = Integer.parseInt(header.substring(1));
            List<String> members = new ArrayList<>(Math.max(0, count));
            for (int i = 0; i < count; i++) {
                int length = Integer.parseInt(line(in).substring(1));
                members.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                in.readNBytes(2);
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis ZRANGE " + key + " failed", e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int next = in.read(); next != '\n' && next != -1; next = in.read()) {
            if (next != '\r') {
                line.write(next);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
