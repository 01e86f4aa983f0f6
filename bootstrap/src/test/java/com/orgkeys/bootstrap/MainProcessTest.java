package com.orgkeys.bootstrap;

import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts Main as its own process, as a user would, to see what a bad configuration looks like. */
class MainProcessTest {
    record Exited(int status, String output) {
        List<String> lines() {
            return output.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /** Runs Main with {@code env} (and {@code args}) until it exits (within a minute). */
    static Exited run(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Main did not exit");
        }
        return new Exited(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void bad_configuration_exits_with_2_and_a_readable_message() throws Exception {
        Exited exited = run(Map.of("PORT", "abc"));
        assertEquals(2, exited.status(), exited.output());
        assertTrue(exited.output().contains("PORT must be a number 0–65535"), exited.output());
        assertFalse(exited.output().contains("Exception"), exited.output());
        assertFalse(exited.output().contains("\tat "), exited.output());
    }

    @Test
    void smtp_url_without_mail_from_exits_with_2_naming_mail_from_and_not_the_password() throws Exception {
        Exited exited = run(Map.of("SMTP_URL", "smtp://user:hunter2-secret@smtp.example.com:587"));
        assertEquals(2, exited.status(), exited.output());
        assertTrue(exited.output().contains("MAIL_FROM is required with SMTP_URL"), exited.output());
        assertFalse(exited.output().contains("hunter2"), exited.output());
    }

    @Test
    void a_port_in_use_exits_with_2_and_one_line_before_creating_a_database(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exited exited = run(Map.of("PORT", Integer.toString(taken.getLocalPort()), "HOST", "127.0.0.1",
                    "DATA_DIR", dataDir.toString()));
            assertEquals(2, exited.status(), exited.output());
            assertEquals(1, exited.lines().size(), exited.output());
            assertTrue(exited.output().contains("127.0.0.1:" + taken.getLocalPort()), exited.output());
            assertTrue(exited.output().contains("in use"), exited.output());
        }
        assertFalse(Files.exists(dataDir.resolve("postgres")), "no cluster was created");
        assertFalse(Files.exists(dataDir.resolve("postgres-binaries")), "no binaries were unpacked");
    }

    @Test
    void a_data_dir_that_is_a_file_exits_with_2_and_one_line(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");
        Exited exited = run(Map.of("PORT", "0", "HOST", "127.0.0.1", "DATA_DIR", file.toString()));
        assertEquals(2, exited.status(), exited.output());
        assertEquals(List.of("orgkeys: DATA_DIR " + file + " is not a directory"), exited.lines());
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void rotate_secrets_adds_a_version_in_the_configured_database_and_exits_0() throws Exception {
        String database = TestPostgres.environmentValue(TestPostgres.newDatabase());
        Exited first = run(Map.of("DATABASE_URL", database), "rotate-secrets");
        assertEquals(0, first.status(), first.output());
        assertTrue(first.output().contains("orgkeys: the forms secret is now version 2"), first.output());
        Exited second = run(Map.of("DATABASE_URL", database), "rotate-secrets");
        assertEquals(0, second.status(), second.output());
        assertTrue(second.output().contains("orgkeys: the forms secret is now version 3"), second.output());
    }

    @Test
    void rotate_signing_keys_adds_the_next_key_in_the_configured_database_and_exits_0() throws Exception {
        String database = TestPostgres.environmentValue(TestPostgres.newDatabase());
        Exited first = run(Map.of("DATABASE_URL", database), "rotate-signing-keys");
        assertEquals(0, first.status(), first.output());
        assertTrue(first.output().contains("orgkeys: signing key 1 (kid "), first.output());
        Exited second = run(Map.of("DATABASE_URL", database), "rotate-signing-keys");
        assertEquals(0, second.status(), second.output());
        assertTrue(second.output().contains("orgkeys: signing key 2 (kid "), second.output());
        assertTrue(second.output().contains("the key before it stays in the JWKS"), second.output());
    }

    @Test
    void rotate_secrets_on_an_unusable_data_dir_exits_2_and_one_line(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");
        Exited exited = run(Map.of("DATA_DIR", file.toString()), "rotate-secrets");
        assertEquals(2, exited.status(), exited.output());
        assertEquals(List.of("orgkeys: DATA_DIR " + file + " is not a directory"), exited.lines());
    }

    @Test
    void a_mistyped_subcommand_exits_2_and_starts_nothing(@TempDir Path dir) throws Exception {
        Exited exited = run(Map.of("DATA_DIR", dir.resolve("data").toString()), "rotate-secret");
        assertEquals(2, exited.status(), exited.output());
        assertEquals(List.of("orgkeys: unknown arguments rotate-secret; usage: java -jar orgkeys.jar [rotate-secrets | "
                        + "rotate-signing-keys | secret-keys ...]; " + SecretKeysCommand.USAGE), exited.lines());
        assertFalse(Files.exists(dir.resolve("data")), "no DATA_DIR made, no database started");
    }

    @Test
    void secret_keys_create_prints_the_secret_once_list_shows_its_hint_and_revoke_marks_it() throws Exception {
        Map<String, String> env = Map.of("DATABASE_URL", TestPostgres.environmentValue(TestPostgres.newDatabase()));
        Exited created = run(env, "secret-keys", "create", "--name", "billing backend");
        assertEquals(0, created.status(), created.output());
        String secret = created.lines().stream().filter(l -> l.startsWith("sk_orgkeys_")).findFirst().orElseThrow();
        assertTrue(com.orgkeys.domain.secretkey.SecretKeySecret.parse(secret).isPresent(), secret);
        Exited listed = run(env, "secret-keys", "list");
        assertEquals(0, listed.status(), listed.output());
        String row = listed.lines().stream().filter(l -> l.endsWith("\tbilling backend")).findFirst().orElseThrow();
        assertFalse(listed.output().contains(secret), "the secret is never shown again");
        assertTrue(row.contains("\tactive\t") && row.contains("sk_orgkeys_…" + secret.substring(secret.length() - 4)), row);
        String id = row.substring(0, row.indexOf('\t'));
        Exited revoked = run(env, "secret-keys", "revoke", id);
        assertEquals(0, revoked.status(), revoked.output());
        assertTrue(run(env, "secret-keys", "list").output().contains(id + "\tsk_orgkeys_…"
                + secret.substring(secret.length() - 4) + "\trevoked\t"));
        Exited unknown = run(env, "secret-keys", "revoke", java.util.UUID.randomUUID().toString());
        assertEquals(1, unknown.status(), unknown.output());
    }

    @Test
    void secret_keys_with_bad_arguments_exits_2_with_the_usage_and_starts_nothing(@TempDir Path dir) throws Exception {
        for (String[] args : List.of(new String[]{"secret-keys"}, new String[]{"secret-keys", "create"},
                new String[]{"secret-keys", "create", "--name", " "}, new String[]{"secret-keys", "revoke", "nope"},
                new String[]{"secret-keys", "list", "extra"})) {
            Exited exited = run(Map.of("DATA_DIR", dir.resolve("data").toString()), args);
            assertEquals(2, exited.status(), exited.output());
            assertTrue(exited.output().contains(SecretKeysCommand.USAGE), exited.output());
            assertFalse(Files.exists(dir.resolve("data")), "no DATA_DIR made, no database started");
        }
    }
}
