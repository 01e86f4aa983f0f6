package com.orgkeys.persistence.database;

import java.nio.file.Path;

/**
 * The embedded PostgreSQL as the previous release ran it (PostgreSQL 14, same password file, same layout), for
 * tests that need a DATA_DIR made by that release: start it, fill it (e.g. with orgkeys on its URL), close it.
 */
public final class PreviousRelease implements AutoCloseable {
    private final DataDirectory directory;
    private final EmbeddedDatabase postgres;

    private PreviousRelease(DataDirectory directory, EmbeddedDatabase postgres) {
        this.directory = directory;
        this.postgres = postgres;
    }

    /** Locks {@code dataDir} and starts (creating it if needed) its cluster with the previous release's programs. */
    public static PreviousRelease start(Path dataDir) {
        DataDirectory directory = DataDirectory.lock(dataDir);
        try {
            return new PreviousRelease(directory, EmbeddedDatabase.startAsPreviousRelease(directory));
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    public static int postgresMajor() {
        return PostgresBinaries.Release.PREVIOUS.major();
    }

    public static int embeddedMajor() {
        return PostgresBinaries.Release.EMBEDDED.major();
    }

    public DatabaseUrl url() {
        return postgres.url();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            directory.close();
        }
    }
}
