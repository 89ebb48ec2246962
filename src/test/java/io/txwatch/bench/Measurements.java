package io.txwatch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmark reads from outside the service's metrics: latency buckets, Redis INFO, and /proc. */
public final class Measurements {

    /** Linux reports CPU time in clock ticks of 1/100 s on every common configuration. */
    private static final double TICKS_PER_SECOND = 100;

    private Measurements() {
    }

    /** Latency in milliseconds, from cumulative histogram buckets in seconds; max is the highest filled bucket's bound. */
    public record Latency(double p50, double p99, double max, long count) {

        public static Latency of(TreeMap<Double, Double> cumulativeSeconds) {
            double total = cumulativeSeconds.isEmpty() ? 0 : cumulativeSeconds.lastEntry().getValue();
            if (total == 0) {
                return new Latency(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double max = cumulativeSeconds.entrySet().stream().filter(bucket -> bucket.getValue() >= total)
                    .findFirst().orElseThrow().getKey();
            return new Latency(quantile(cumulativeSeconds, 0.50, total) * 1000, quantile(cumulativeSeconds, 0.99, total) * 1000,
                    max * 1000, (long) total);
        }

        /** Linear interpolation inside the bucket that holds the quantile, as Prometheus's histogram_quantile does. */
        private static double quantile(TreeMap<Double, Double> cumulative, double q, double total) {
            double rank = q * total;
            double lowerBound = 0;
            double lowerCount = 0;
            for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
                if (bucket.getValue() >= rank) {
                    if (bucket.getKey().isInfinite()) {
                        return lowerBound;
                    }
                    double inBucket = bucket.getValue() - lowerCount;
                    return lowerBound + (bucket.getKey() - lowerBound) * (inBucket == 0 ? 1 : (rank - lowerCount) / inBucket);
                }
                lowerBound = bucket.getKey();
                lowerCount = bucket.getValue();
            }
            return lowerBound;
        }
    }

    /** Redis's own counters from INFO stats: commands processed and bytes in and out. */
    record RedisCounters(long commands, long bytesIn, long bytesOut) {

        static RedisCounters read(int port) {
            String info = redisInfo(port, "stats");
            return new RedisCounters(field(info, "total_commands_processed"), field(info, "total_net_input_bytes"),
                    field(info, "total_net_output_bytes"));
        }
    }

    /** Memory Redis holds for its data and itself (used_memory), in MiB. */
    public static double redisUsedMib(int port) {
        return field(redisInfo(port, "memory"), "used_memory") / (1024.0 * 1024.0);
    }

    private static String redisInfo(int port, String section) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("INFO " + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = readLine(in);
            int length = Integer.parseInt(header.substring(1));
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis INFO failed", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = in.read(); next != '\n' && next != -1; next = in.read()) {
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    private static long field(String info, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + ":(\\d+)").matcher(info);
        return value.find() ? Long.parseLong(value.group(1)) : 0;
    }

    /** CPU seconds a process has used, with its current descendants and the children it has reaped. */
    static double cpuSeconds(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process);
        process.descendants().forEach(tree::add);
        double seconds = 0;
        for (ProcessHandle member : tree) {
            seconds += cpuSeconds(member.pid(), member == process);
        }
        return seconds;
    }

    /** CPU seconds of one process alone, without its children. */
    static double ownCpuSeconds(ProcessHandle process) {
        return cpuSeconds(process.pid(), false);
    }

    /** CPU seconds the whole machine was not idle, from /proc/stat. */
    static double machineBusySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            double total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Double.parseDouble(fields[i]);
            }
            double idle = Double.parseDouble(fields[4]) + Double.parseDouble(fields[5]);
            return (total - idle) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident memory in MiB, from /proc/<pid>/status; -1 when the process is gone. */
    public static long residentMib(ProcessHandle process) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static double cpuSeconds(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name may hold spaces; the fields after its closing parenthesis do not
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            double ticks = Double.parseDouble(fields[11]) + Double.parseDouble(fields[12]);
            if (withReapedChildren) {
                ticks += Double.parseDouble(fields[13]) + Double.parseDouble(fields[14]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
