package com.orgkeys.persistence.secret;

import com.orgkeys.application.secret.port.out.ServerSecrets;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

public final class JdbcServerSecrets implements ServerSecrets {
    private final Jdbc jdbc;

    public JdbcServerSecrets(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean createFirst(ServerSecret first) {
        // Nodes starting at once may all see no row; the primary key lets one of their version 1 rows in.
        return jdbc.update("""
                        INSERT INTO server_secrets (purpose, version, key_bytes, created_at)
                        SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM server_secrets WHERE purpose = ?)
                        ON CONFLICT DO NOTHING""",
                first.purpose().value(), first.version(), first.key(), first.createdAt(), first.purpose().value()) == 1;
    }

    @Override
    public boolean add(ServerSecret next) {
        return jdbc.update("""
                        INSERT INTO server_secrets (purpose, version, key_bytes, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""",
                next.purpose().value(), next.version(), next.key(), next.createdAt()) == 1;
    }

    @Override
    public List<ServerSecret> versions(SecretPurpose purpose) {
        return jdbc.list("""
                        SELECT purpose, version, key_bytes, created_at FROM server_secrets WHERE purpose = ?
                        ORDER BY version DESC""",
                JdbcServerSecrets::map, purpose.value());
    }

    @Override
    public int deleteOlderThan(SecretPurpose purpose, int version) {
        return jdbc.update("DELETE FROM server_secrets WHERE purpose = ? AND version < ?", purpose.value(), version);
    }

    private static ServerSecret map(ResultSet row) throws SQLException {
        return new ServerSecret(SecretPurpose.of(row.getString("purpose")), row.getInt("version"),
                row.getBytes("key_bytes"), Jdbc.instant(row, "created_at"));
    }
}
