package com.orgkeys.persistence.database;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmbeddedDatabaseTest {
    @TempDir
    static Path dataDir;
    static EmbeddedDatabase postgres;

    @BeforeAll
    static void start() {
        postgres = EmbeddedDatabase.start(dataDir, 0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void a_pid_file_copied_from_another_data_dir_does_not_name_an_orphan_of_this_one(@TempDir Path copy)
            throws Exception {
        Path cluster = dataDir.resolve("postgres");
        long postmaster = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).getFirst().strip());
        assertEquals(postmaster, EmbeddedDatabase.postmasterOf(cluster).orElseThrow().pid());

        Path copiedCluster = Files.createDirectories(copy.resolve("postgres"));
        Files.copy(cluster.resolve("postmaster.pid"), copiedCluster.resolve("postmaster.pid"));
        assertEquals(java.util.Optional.empty(), EmbeddedDatabase.postmasterOf(copiedCluster));
    }
}
