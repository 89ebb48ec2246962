package io.txwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.txwatch.tools.ExternalTool;
import io.txwatch.tools.NodeTools;

/**
 * The container images' Dockerfiles ({@code src/main/docker}): linted by two npm linters (dockerfilelint and
 * dockerfile-utils, installed by {@code npm ci --prefix src/test/node}), and holding to what a platform team expects
 * of a Quarkus image: a pinned base, a non-root user, port 8080, and no tools added to the base.
 */
class DockerfilesTest {

    private static final Path DOCKER = Path.of("src", "main", "docker");
    private static final Path LINTERS = NodeTools.MODULES.resolve(".bin");
    private static final List<String> IMAGES = List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro");

    @Test
    void everyDockerfilePassesBothLinters() throws Exception {
        Path node = linters();
        for (String image : IMAGES) {
            Path dockerfile = DOCKER.resolve(image).toAbsolutePath();
            for (ExternalTool.Run lint : lint(node, dockerfile)) {
                assertThat(lint.exitCode()).as(image + ": " + lint.output()).isZero();
            }
        }
    }

    @Test
    void theLintersCatchABrokenDockerfile(@TempDir Path directory) throws Exception {
        Path node = linters();
        Path broken = directory.resolve("Dockerfile");
        Files.writeString(broken, "FROM ubuntu\nUSER\nCOPY target/quarkus-app\nEXPOSE 80800\n");

        for (ExternalTool.Run lint : lint(node, broken)) {
            assertThat(lint.exitCode()).as(lint.output()).isNotZero();
        }
    }

    @Test
    void everyImageIsPinnedRunsAsNonRootExposes8080AndAddsNoPackages() throws IOException {
        for (String image : IMAGES) {
            String dockerfile = Files.readString(DOCKER.resolve(image));
            assertThat(dockerfile).as(image).containsPattern("(?m)^FROM [^\\s:]+:[0-9][\\w.-]*$")
                    .doesNotContainPattern("(?m)^FROM .*:latest")
                    .containsPattern("(?m)^USER (185|1001)$")
                    .containsPattern("(?m)^EXPOSE 8080$")
                    .containsPattern("(?m)^ENTRYPOINT ");
            assertThat(Pattern.compile("(?m)^RUN .*(microdnf|dnf|yum|apt-get|apk) ").matcher(dockerfile).find())
                    .as(image + " installs nothing on its base").isFalse();
        }
        assertThat(Files.readString(DOCKER.resolve("Dockerfile.jvm"))).as("the fast-jar's layers, each copied apart")
                .contains("target/quarkus-app/lib/ /deployments/lib/", "target/quarkus-app/app/ /deployments/app/",
                        "target/quarkus-app/quarkus/ /deployments/quarkus/");
    }

    /** node, with the linters installed beside the tests. */
    private static Path linters() {
        NodeTools.require("dockerfile-utils");
        return NodeTools.require("dockerfilelint");
    }

    private static List<ExternalTool.Run> lint(Path node, Path dockerfile) throws IOException, InterruptedException {
        Path here = Path.of(".");
        return List.of(
                ExternalTool.run(here, List.of(node.toString(), LINTERS.resolve("dockerfilelint").toString(),
                        dockerfile.toString())),
                ExternalTool.run(here, List.of(node.toString(), LINTERS.resolve("dockerfile-utils").toString(), "lint",
                        dockerfile.toString())));
    }
}
