package com.orgkeys.persistence.secretkey;

import com.orgkeys.application.secretkey.port.out.SecretKeyRepository;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.persistence.apikey.listener.RevocationFeed;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class JdbcSecretKeyRepository implements SecretKeyRepository {
    private static final String COLUMNS = "id, name, secret_hash, hint, created_by, created_at, revoked_at, revoked_by";

    private final Jdbc jdbc;

    public JdbcSecretKeyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(SecretKey key) {
        jdbc.update("INSERT INTO secret_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                key.id().value(), key.name(), key.secretHash(), key.hint(), key.createdBy(), key.createdAt(),
                key.revokedAt().orElse(null), key.revokedBy().orElse(null));
    }

    @Override
    public Optional<SecretKey> find(SecretKeyId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM secret_keys WHERE id = ?", JdbcSecretKeyRepository::read, id.value());
    }

    @Override
    public Optional<SecretKey> findByHash(String secretHash) {
        return jdbc.one("SELECT " + COLUMNS + " FROM secret_keys WHERE secret_hash = ?", JdbcSecretKeyRepository::read,
                secretHash);
    }

    @Override
    public List<SecretKey> all() {
        return jdbc.list("SELECT " + COLUMNS + " FROM secret_keys ORDER BY created_at DESC, id",
                JdbcSecretKeyRepository::read);
    }

    @Override
    public boolean markRevoked(SecretKey key) {
        boolean revoked = jdbc.update("UPDATE secret_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                key.revokedAt().orElse(null), key.revokedBy().orElse(null), key.id().value()) == 1;
        // the API keys' revocation feed: every listening process evicts the hash when this commits
        if (revoked) {
            jdbc.count("SELECT count(pg_notify(?, ?)) + count(pg_notify(?, " + RevocationFeed.timedPayload("?") + "))",
                    RevocationFeed.CHANNEL, key.secretHash(), RevocationFeed.TIMED_CHANNEL, key.secretHash());
        }
        return revoked;
    }

    private static SecretKey read(ResultSet row) throws SQLException {
        return new SecretKey(new SecretKeyId(Jdbc.uuid(row, "id")), row.getString("name"), row.getString("secret_hash"),
                row.getString("hint"), row.getString("created_by"), Jdbc.instant(row, "created_at"),
                Optional.ofNullable(Jdbc.instant(row, "revoked_at")), Optional.ofNullable(row.getString("revoked_by")));
    }
}
