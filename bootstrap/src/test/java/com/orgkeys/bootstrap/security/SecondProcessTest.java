package com.orgkeys.bootstrap.security;

import com.orgkeys.bootstrap.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.security.ResilienceTest.freePort;
import static com.orgkeys.bootstrap.security.ResilienceTest.seed;
import static com.orgkeys.bootstrap.security.ResilienceTest.send;
import static com.orgkeys.bootstrap.security.ResilienceTest.startProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second orgkeys started by mistake on the DATA_DIR of a running one must leave it alone: it used to take the
 * live postmaster for an orphan and stop it, and the running server answered 503 once its pool renewed connections.
 */
class SecondProcessTest {
    record Exited(int status, List<String> lines) {
    }

    static Exited runUntilExit(Path dataDir, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("DATA_DIR", dataDir.toString(), "PORT", Integer.toString(port),
                "HOST", "127.0.0.1", "LOG_LEVEL", "info"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the second process did not exit");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Exited(process.exitValue(), output.lines().filter(line -> !line.isBlank()).toList());
    }

    static List<String> postmasterPidFile(Path dataDir) throws Exception {
        return Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
    }

    @Test
    void a_second_orgkeys_on_the_same_data_dir_exits_2_naming_the_first_which_keeps_serving(@TempDir Path dir)
            throws Exception {
        Path dataDir = dir.resolve("data");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Process first = startProcess(dataDir, port);
        try {
            long postmaster = Long.parseLong(postmasterPidFile(dataDir).getFirst().strip());

            for (int secondPort : new int[] {freePort(), port}) {
                Exited second = runUntilExit(dataDir, secondPort);
                assertEquals(2, second.status(), String.join("\n", second.lines()));
                assertEquals(1, second.lines().size(), String.join("\n", second.lines()));
                assertTrue(second.lines().getFirst().contains("pid " + first.pid() + ", port " + port),
                        second.lines().getFirst());
            }

            assertTrue(first.isAlive());
            assertEquals(postmaster, Long.parseLong(postmasterPidFile(dataDir).getFirst().strip()));
            assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "postmaster alive");
            // A postmaster told to stop keeps its open connections but refuses new ones: a fresh connection is
            // what the pool makes when it renews one, and it must still be accepted.
            Properties credentials = new Properties();
            credentials.setProperty("user", "postgres");
            credentials.setProperty("password", Files.readString(dataDir.resolve("postgres-password")).strip());
            String pgPort = postmasterPidFile(dataDir).get(3).strip();
            try (Connection fresh = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                    credentials); ResultSet rows = fresh.createStatement().executeQuery("SELECT 1")) {
                assertTrue(rows.next());
            }
            var seeded = seed(base); // writes through the first server's pool
            assertEquals(200, send(base, "GET", "/api/api-keys/" + seeded.keyId(), null, seeded.cookie(), null).status());
        } finally {
            first.destroy();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
