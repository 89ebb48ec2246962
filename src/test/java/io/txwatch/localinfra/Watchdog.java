package io.txwatch.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops the processes a launcher started when the launcher dies, however it dies: a shutdown hook runs on Ctrl-C or a
 * normal exit, but not on SIGKILL or an out-of-memory kill, and a PostgreSQL or Redis left behind holds its port and its
 * data. The watchdog is a small shell of its own session, so that neither a signal to the launcher's process group nor
 * the launcher's death takes it along; it polls the launcher every second and, once it is gone, interrupts every
 * process named in its pid file, kills what still runs five seconds later, and deletes the data folder. When the
 * launcher stopped everything itself, it deleted that folder, and the watchdog finds nothing to do.
 */
final class Watchdog {

    private static final String SCRIPT = """
            launcher=$1; pids=$2; root=$3
            while kill -0 "$launcher" 2>/dev/null; do sleep 1; done
            [ -f "$pids" ] || exit 0
            for pid in $(cat "$pids"); do kill -INT "$pid" 2>/dev/null; done
            sleep 5
            for pid in $(cat "$pids"); do kill -KILL "$pid" 2>/dev/null; done
            rm -rf "$root"
            """;

    private final Path pidFile;
    private final List<ProcessHandle> watched = new ArrayList<>();

    private Watchdog(Path pidFile) {
        this.pidFile = pidFile;
    }

    /** Watches this JVM; {@code root} holds the pid file and is deleted once the processes are stopped. */
    static Watchdog start(Path root) {
        Path pidFile = root.resolve("watched.pids");
        try {
            Files.writeString(pidFile, "");
            new ProcessBuilder("setsid", "sh", "-c", SCRIPT, "txwatch-watchdog",
                    Long.toString(ProcessHandle.current().pid()), pidFile.toString(), root.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the watchdog of the local servers", e);
        }
        return new Watchdog(pidFile);
    }

    /**
     * Adds processes to stop when this JVM dies. The pid file is written anew with the processes still alive, so that
     * the pid of a server stopped and started again is not left there for another process to be given.
     */
    synchronized void watch(List<ProcessHandle> processes) {
        watched.addAll(processes);
        watched.removeIf(process -> !process.isAlive());
        StringBuilder lines = new StringBuilder();
        watched.forEach(process -> lines.append(process.pid()).append('\n'));
        try {
            Path next = pidFile.resolveSibling(pidFile.getFileName() + ".next");
            Files.writeString(next, lines, StandardCharsets.UTF_8);
            Files.move(next, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record processes for the watchdog", e);
        }
    }
}
