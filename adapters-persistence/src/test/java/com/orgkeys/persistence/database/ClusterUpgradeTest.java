package com.orgkeys.persistence.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the upgrade reads from DATA_DIR before it starts anything (the upgrade itself: EmbeddedUpgradeTest). */
class ClusterUpgradeTest {
    @Test
    void the_version_comes_from_pg_version(@TempDir Path cluster) throws Exception {
        assertEquals(OptionalInt.empty(), ClusterUpgrade.majorVersionOf(cluster));
        Files.writeString(cluster.resolve("PG_VERSION"), "14\n");
        assertEquals(OptionalInt.of(14), ClusterUpgrade.majorVersionOf(cluster));
        Files.writeString(cluster.resolve("PG_VERSION"), "9.6\n");
        var refused = assertThrows(DataDirectory.UnusableException.class, () -> ClusterUpgrade.majorVersionOf(cluster));
        assertTrue(refused.getMessage().contains("'9.6'"), refused.getMessage());
    }

    @Test
    void a_swap_cut_short_between_its_renames_gets_the_old_cluster_back(@TempDir Path dataDir) throws Exception {
        Path backup = Files.createDirectories(dataDir.resolve(ClusterUpgrade.BACKUP));
        Files.writeString(backup.resolve("PG_VERSION"), "14\n");
        Files.createDirectories(dataDir.resolve(ClusterUpgrade.NEXT)); // the new cluster, not yet swapped in
        PostgresBinaries programs = PostgresBinaries.prepare(dataDir.resolve("postgres-binaries"),
                PostgresBinaries.Release.EMBEDDED);

        new ClusterUpgrade(dataDir, programs).restoreAfterAnInterruptedSwap();
        assertEquals("14\n", Files.readString(dataDir.resolve("postgres/PG_VERSION")));
        assertFalse(Files.exists(backup));

        // with a cluster in place, nothing moves
        Files.createDirectories(backup);
        new ClusterUpgrade(dataDir, programs).restoreAfterAnInterruptedSwap();
        assertTrue(Files.exists(backup));
        assertEquals("14\n", Files.readString(dataDir.resolve("postgres/PG_VERSION")));
    }
}
