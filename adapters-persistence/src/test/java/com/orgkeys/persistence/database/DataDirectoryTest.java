package com.orgkeys.persistence.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataDirectoryTest {
    @Test
    void a_second_holder_in_this_process_is_refused_with_one_line_naming_this_process(@TempDir Path dir) {
        try (DataDirectory first = DataDirectory.lock(dir)) {
            var refused = assertThrows(DataDirectory.UnusableException.class, () -> DataDirectory.lock(dir));
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
            assertTrue(refused.getMessage().contains(dir.toString()), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
            // the refused attempt must not have released the first holder's lock
            assertThrows(DataDirectory.UnusableException.class, () -> DataDirectory.lock(dir.resolve(".")));
        }
    }

    @Test
    void a_refused_second_attempt_in_this_process_leaves_the_lock_held_against_other_processes(@TempDir Path dir)
            throws Exception {
        try (DataDirectory first = DataDirectory.lock(dir)) {
            first.recordPort(8080);
            var refused = assertThrows(DataDirectory.UnusableException.class, () -> DataDirectory.lock(dir));
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid() + ", port 8080"),
                    refused.getMessage());

            // POSIX record locks belong to the process: had the refused attempt opened and closed the lock file,
            // this process would have lost its lock and another process would get it now.
            String java = ProcessHandle.current().info().command().orElse("java");
            Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
            other.getOutputStream().close(); // were it to get the lock, it lets go at once
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertFalse(output.lines().anyMatch("locked"::equals), output);
            assertTrue(output.contains("is in use by another orgkeys (pid " + ProcessHandle.current().pid()),
                    output);
        }
    }

    @Test
    void the_lock_is_free_again_once_closed(@TempDir Path dir) {
        DataDirectory.lock(dir).close();
        try (DataDirectory again = DataDirectory.lock(dir)) {
            assertEquals(dir.toAbsolutePath().normalize(), again.path());
        }
    }

    @Test
    void a_directory_held_by_another_process_is_refused_naming_that_process_and_its_port(@TempDir Path dir)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            var output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", output.readLine());

            var refused = assertThrows(DataDirectory.UnusableException.class, () -> DataDirectory.lock(dir));
            assertTrue(refused.getMessage().contains("pid " + holder.pid() + ", port 4242"), refused.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        // the holder is gone, and with it its lock
        DataDirectory.lock(dir).close();
    }

    @Test
    void a_lock_held_by_a_killed_process_is_free(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        var output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", output.readLine());
        holder.destroyForcibly(); // kill -9: no code of ours runs, the OS drops the lock
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        DataDirectory.lock(dir).close();
    }

    @Test
    void a_file_is_not_a_data_directory_and_stays_untouched(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "notes");
        var refused = assertThrows(DataDirectory.UnusableException.class, () -> DataDirectory.lock(file));
        assertEquals("DATA_DIR " + file + " is not a directory", refused.getMessage());
        assertEquals("notes", Files.readString(file));
    }

    @Test
    void the_directory_is_made_private_to_its_owner(@TempDir Path dir) throws Exception {
        Path fresh = dir.resolve("fresh");
        Path existing = Files.createDirectory(dir.resolve("existing"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        for (Path data : new Path[] {fresh, existing}) {
            try (DataDirectory held = DataDirectory.lock(data)) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(held.path())));
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(held.path().resolve(DataDirectory.LOCK_FILE))));
            }
        }
    }
}
