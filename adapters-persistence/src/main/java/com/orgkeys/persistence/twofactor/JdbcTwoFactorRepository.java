package com.orgkeys.persistence.twofactor;

import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.twofactor.TotpFactor;
import com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

public final class JdbcTwoFactorRepository implements TwoFactorRepository {
    private final Jdbc jdbc;

    public JdbcTwoFactorRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<TotpFactor> findTotp(UserId userId) {
        return jdbc.one("""
                SELECT user_id, secret_encrypted, key_version, created_at, confirmed_at, last_used_step
                  FROM totp_factors WHERE user_id = ?""", JdbcTwoFactorRepository::factor, userId.value());
    }

    @Override
    public Factors factors(UserId userId) {
        return jdbc.one("""
                SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = ? AND confirmed_at IS NOT NULL) AS totp,
                       EXISTS (SELECT 1 FROM passkeys WHERE user_id = ?) AS passkey""",
                row -> new Factors(row.getBoolean("totp"), row.getBoolean("passkey")), userId.value(),
                userId.value()).orElseThrow();
    }

    @Override
    public boolean savePendingTotp(TotpFactor pending) {
        if (pending.enabled()) throw new IllegalArgumentException("not a pending factor");
        // one statement: a confirmed row is never replaced, whoever else writes at the same time
        return jdbc.update("""
                INSERT INTO totp_factors (user_id, secret_encrypted, key_version, created_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE
                   SET secret_encrypted = excluded.secret_encrypted, key_version = excluded.key_version,
                       created_at = excluded.created_at, last_used_step = NULL
                 WHERE totp_factors.confirmed_at IS NULL""",
                pending.userId().value(), pending.secret().ciphertext(), pending.secret().keyVersion(),
                pending.createdAt()) == 1;
    }

    @Override
    public boolean confirmTotp(UserId userId, EncryptedSecret secret, long step, Instant now) {
        return jdbc.update("""
                UPDATE totp_factors SET confirmed_at = ?, last_used_step = ?
                 WHERE user_id = ? AND confirmed_at IS NULL AND secret_encrypted = ? AND key_version = ?""",
                now, step, userId.value(), secret.ciphertext(), secret.keyVersion()) == 1;
    }

    @Override
    public boolean useTotpStep(UserId userId, long step) {
        return jdbc.update("""
                UPDATE totp_factors SET last_used_step = ?
                 WHERE user_id = ? AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < ?)""",
                step, userId.value(), step) == 1;
    }

    @Override
    public boolean deleteTotp(UserId userId) {
        return jdbc.update("DELETE FROM totp_factors WHERE user_id = ?", userId.value()) == 1;
    }

    @Override
    public void deleteRecoveryCodes(UserId userId) {
        jdbc.update("DELETE FROM recovery_codes WHERE user_id = ?", userId.value());
    }

    @Override
    public void replaceRecoveryCodes(UserId userId, List<String> codeHashes, Instant now) {
        jdbc.update("DELETE FROM recovery_codes WHERE user_id = ?", userId.value());
        jdbc.update("""
                INSERT INTO recovery_codes (user_id, code_hash, created_at)
                SELECT ?, hash, ? FROM unnest(?::text[]) AS hash""", userId.value(), now, codeHashes);
    }

    @Override
    public boolean useRecoveryCode(UserId userId, String codeHash, Instant now) {
        return jdbc.update("""
                UPDATE recovery_codes SET used_at = ?
                 WHERE user_id = ? AND code_hash = ? AND used_at IS NULL""", now, userId.value(), codeHash) == 1;
    }

    @Override
    public int recoveryCodesLeft(UserId userId) {
        return (int) jdbc.count("SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                userId.value());
    }

    private static TotpFactor factor(ResultSet row) throws SQLException {
        long step = row.getLong("last_used_step");
        OptionalLong lastUsedStep = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(step);
        return new TotpFactor(new UserId(Jdbc.uuid(row, "user_id")),
                new EncryptedSecret(row.getInt("key_version"), row.getBytes("secret_encrypted")),
                Jdbc.instant(row, "created_at"), Optional.ofNullable(Jdbc.instant(row, "confirmed_at")), lastUsedStep);
    }
}
