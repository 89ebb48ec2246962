package io.txwatch.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * The npm packages the tests use ({@code src/test/node}, installed by {@code npm ci --prefix src/test/node}, which
 * {@code .ci/run} runs): without node or without them the test is skipped with a message saying how to install them,
 * or fails in CI ({@code TXWATCH_CI}).
 */
public final class NodeTools {

    public static final Path HOME = Path.of("src", "test", "node");
    public static final Path MODULES = HOME.resolve("node_modules");

    private NodeTools() {
    }

    /** node's path, once the package is installed beside the tests. */
    public static Path require(String npmPackage) {
        Path node = ExternalTool.require("node", "Debian: apt-get install nodejs npm; then npm ci --prefix src/test/node");
        String missing = npmPackage + " is not installed: npm ci --prefix src/test/node";
        Path installed = MODULES.resolve(npmPackage).resolve("package.json");
        if (System.getenv("TXWATCH_CI") != null) {
            assertThat(installed).as(missing).exists();
        }
        Assumptions.assumeTrue(Files.exists(installed), missing);
        return node;
    }
}
