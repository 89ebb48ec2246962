package io.txwatch.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A program the tests need that Maven cannot bring (promtool, prometheus, node): found on the PATH, or the test is
 * skipped with a message naming it and how to install it. Where {@code TXWATCH_CI} is set (as {@code .ci/run} sets it,
 * after installing them) a missing tool fails the test instead: in CI these tests always run.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /** The tool's path, if it is on the PATH. */
    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The tool's path; without it the test is skipped, or fails in CI. */
    public static Path require(String name, String howToInstall) {
        Optional<Path> tool = find(name);
        String missing = name + " is not on the PATH; install it to run this test (" + howToInstall + ")";
        if (System.getenv("TXWATCH_CI") != null) {
            assertThat(tool).as(missing).isPresent();
        }
        Assumptions.assumeTrue(tool.isPresent(), missing);
        return tool.orElseThrow();
    }

    /** What a finished run printed, and how it ended. */
    public record Run(int exitCode, String output) {
    }

    /** Runs the command in {@code directory} to its end, at most two minutes, its output and errors together. */
    public static Run run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("txwatch-tool", ".out");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish within two minutes");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
