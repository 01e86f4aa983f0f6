package com.orgkeys.persistence.passkey;

import com.orgkeys.application.passkey.port.out.PasskeyRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountTokenId;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.passkey.PasskeyName;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

public final class JdbcPasskeyRepository implements PasskeyRepository {
    private static final String COLUMNS = "id, user_id, credential_id, public_key_cose, signature_count, name,"
            + " created_at, last_used_at";

    private final Jdbc jdbc;

    public JdbcPasskeyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean insert(Passkey passkey) {
        return jdbc.update("""
                INSERT INTO passkeys (id, user_id, credential_id, public_key_cose, signature_count, name, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (credential_id) DO NOTHING""",
                passkey.id().value(), passkey.userId().value(), bytes(passkey.credentialId()),
                bytes(passkey.publicKeyCose()), passkey.signatureCount(), passkey.name().value(),
                passkey.createdAt()) == 1;
    }

    @Override
    public List<Passkey> listFor(UserId userId) {
        return jdbc.list("SELECT " + COLUMNS + " FROM passkeys WHERE user_id = ? ORDER BY created_at, id",
                JdbcPasskeyRepository::passkey, userId.value());
    }

    @Override
    public Optional<Passkey> findByCredentialId(String credentialId) {
        byte[] id;
        try {
            id = bytes(credentialId);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64url: no credential has that id
        }
        return jdbc.one("SELECT " + COLUMNS + " FROM passkeys WHERE credential_id = ?",
                JdbcPasskeyRepository::passkey, id);
    }

    @Override
    public boolean rename(UserId userId, PasskeyId id, PasskeyName name) {
        return jdbc.update("UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?",
                name.value(), id.value(), userId.value()) == 1;
    }

    @Override
    public Optional<Passkey> delete(UserId userId, PasskeyId id) {
        return jdbc.one("DELETE FROM passkeys WHERE id = ? AND user_id = ? RETURNING " + COLUMNS,
                JdbcPasskeyRepository::passkey, id.value(), userId.value());
    }

    @Override
    public boolean recordUse(PasskeyId id, long previousCount, long newCount, Instant now) {
        return jdbc.update("""
                UPDATE passkeys SET signature_count = ?, last_used_at = ?
                 WHERE id = ? AND signature_count = ?""", newCount, now, id.value(), previousCount) == 1;
    }

    @Override
    public void saveCeremony(PasskeyCeremony ceremony, Instant now) {
        // the expired ones go as new ones come, so the table holds at most 5 minutes' worth
        jdbc.update("DELETE FROM passkey_ceremonies WHERE expires_at <= ?", now);
        ceremony.signIn().ifPresent(signIn ->
                jdbc.update("DELETE FROM passkey_ceremonies WHERE sign_in_id = ?", signIn.value()));
        jdbc.update("""
                INSERT INTO passkey_ceremonies (id, purpose, user_id, sign_in_id, request, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""",
                ceremony.id(), ceremony.purpose().name().toLowerCase(Locale.ROOT),
                ceremony.userId().map(UserId::value).orElse(null),
                ceremony.signIn().map(AccountTokenId::value).orElse(null), ceremony.request(), ceremony.expiresAt());
    }

    @Override
    public Optional<PasskeyCeremony> takeCeremony(UUID id, PasskeyCeremony.Purpose purpose, Instant now) {
        return jdbc.one("""
                DELETE FROM passkey_ceremonies WHERE id = ? AND purpose = ? AND expires_at > ?
                RETURNING id, purpose, user_id, sign_in_id, request, expires_at""",
                JdbcPasskeyRepository::ceremony, id, purpose.name().toLowerCase(Locale.ROOT), now);
    }

    private static Passkey passkey(ResultSet row) throws SQLException {
        return new Passkey(new PasskeyId(Jdbc.uuid(row, "id")), new UserId(Jdbc.uuid(row, "user_id")),
                text(row.getBytes("credential_id")), text(row.getBytes("public_key_cose")),
                row.getLong("signature_count"), new PasskeyName(row.getString("name")),
                Jdbc.instant(row, "created_at"),
                Optional.ofNullable(row.getTimestamp("last_used_at")).map(java.sql.Timestamp::toInstant));
    }

    private static PasskeyCeremony ceremony(ResultSet row) throws SQLException {
        return new PasskeyCeremony(Jdbc.uuid(row, "id"),
                PasskeyCeremony.Purpose.valueOf(row.getString("purpose").toUpperCase(Locale.ROOT)),
                Optional.ofNullable((UUID) row.getObject("user_id")).map(UserId::new),
                Optional.ofNullable((UUID) row.getObject("sign_in_id")).map(AccountTokenId::new),
                row.getString("request"), Jdbc.instant(row, "expires_at"));
    }

    private static byte[] bytes(String base64url) {
        return Base64.getUrlDecoder().decode(base64url);
    }

    private static String text(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
