package io.txwatch.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A launcher killed outright (SIGKILL, no shutdown hook runs) leaves no server behind: its watchdog stops them and
 * deletes their data.
 */
class WatchdogTest {

    /** The launcher: starts the local servers, names their processes and data folder, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        LocalInfrastructure servers = LocalInfrastructure.start();
        servers.serverProcesses().values().forEach(process -> System.out.println("pid " + process.pid()));
        System.out.println("data " + servers.dataRoot());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void serversDieWithALauncherKilledOutright() throws Exception {
        Process launcher = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), WatchdogTest.class.getName())
                .redirectErrorStream(true).start();
        List<ProcessHandle> servers = new ArrayList<>();
        Path dataRoot = null;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null && !line.equals("ready"); line = output.readLine()) {
                if (line.startsWith("pid ")) {
                    ProcessHandle.of(Long.parseLong(line.substring(4))).ifPresent(servers::add);
                } else if (line.startsWith("data ")) {
                    dataRoot = Path.of(line.substring(5));
                }
            }
            assertThat(servers).as("PostgreSQL and Redis started").hasSize(2).allMatch(ProcessHandle::isAlive);
            assertThat(dataRoot).isNotNull().exists();

            launcher.destroyForcibly().waitFor();

            await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream().noneMatch(ProcessHandle::isAlive));
            Path data = dataRoot;
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(data));
        } finally {
            launcher.destroyForcibly();
            servers.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
