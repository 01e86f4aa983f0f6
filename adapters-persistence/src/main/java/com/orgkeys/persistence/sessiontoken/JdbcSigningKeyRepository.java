package com.orgkeys.persistence.sessiontoken;

import com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository;
import com.orgkeys.domain.sessiontoken.SigningKey;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class JdbcSigningKeyRepository implements SigningKeyRepository {
    private final Jdbc jdbc;

    public JdbcSigningKeyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean add(SigningKey key) {
        // Nodes adding the same generation at once: the primary key lets one row in, the others change nothing.
        var sealed = key.privateKey();
        return jdbc.update("""
                        INSERT INTO signing_keys (generation, kid, public_key, private_key, private_key_version,
                                                  created_at, signs_from, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                key.generation(), key.kid(), key.publicKey(), sealed.map(SigningKey.SealedPrivateKey::ciphertext).orElse(null),
                sealed.map(SigningKey.SealedPrivateKey::serverSecretVersion).orElse(null), key.createdAt(),
                key.signsFrom(), key.createdBy()) == 1;
    }

    @Override
    public List<SigningKey> all() {
        return jdbc.list("""
                SELECT generation, kid, public_key, private_key, private_key_version, created_at, signs_from, created_by
                FROM signing_keys ORDER BY generation DESC""", JdbcSigningKeyRepository::map);
    }

    @Override
    public int forgetPrivateKeysBelow(int generation) {
        return jdbc.update("""
                UPDATE signing_keys SET private_key = NULL, private_key_version = NULL
                WHERE generation < ? AND private_key IS NOT NULL""", generation);
    }

    private static SigningKey map(ResultSet row) throws SQLException {
        byte[] privateKey = row.getBytes("private_key");
        Optional<SigningKey.SealedPrivateKey> sealed = privateKey == null ? Optional.empty()
                : Optional.of(new SigningKey.SealedPrivateKey(row.getInt("private_key_version"), privateKey));
        return new SigningKey(row.getInt("generation"), row.getString("kid"), row.getBytes("public_key"), sealed,
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "signs_from"), row.getString("created_by"));
    }
}
