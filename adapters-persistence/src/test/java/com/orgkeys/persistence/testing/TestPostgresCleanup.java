package com.orgkeys.persistence.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the test PostgreSQL and deletes its directory when the JUnit session ends, while Maven still waits for the
 * fork: a shutdown hook is too late, as Surefire halts the fork once Maven has exited, leaving the cluster (and
 * its running server) behind. Registered through META-INF/services, so every module with TestPostgres has it.
 */
public final class TestPostgresCleanup implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        TestPostgres.stop();
    }
}
