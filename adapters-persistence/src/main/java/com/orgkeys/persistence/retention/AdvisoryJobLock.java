package com.orgkeys.persistence.retention;

import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.persistence.database.Jdbc;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A PostgreSQL transaction-level advisory lock with a fixed key: released at commit or rollback (also through a
 * transaction-pooling PgBouncer, where a session-level lock could be left on a server connection).
 */
public final class AdvisoryJobLock implements JobLock {
    /** The key of the retention job's lock; any fixed number no other code uses. */
    public static final long RETENTION_KEY = 0x6f72676b_65797301L;
    /** The key of the API key expiry notices' job (its own: it runs every minute, the retention job hourly). */
    public static final long EXPIRY_NOTICES_KEY = 0x6f72676b_65797302L;

    private final Jdbc jdbc;
    private final long key;

    public AdvisoryJobLock(Jdbc jdbc, long key) {
        this.jdbc = jdbc;
        this.key = key;
    }

    @Override
    public <T> Optional<T> tryExclusively(Supplier<T> work) {
        return jdbc.inTransaction(() -> {
            if (!locked()) return Optional.empty();
            return Optional.of(work.get());
        });
    }

    private boolean locked() {
        return jdbc.one("SELECT pg_try_advisory_xact_lock(?) AS locked", row -> row.getBoolean("locked"), key)
                .orElse(false);
    }
}
