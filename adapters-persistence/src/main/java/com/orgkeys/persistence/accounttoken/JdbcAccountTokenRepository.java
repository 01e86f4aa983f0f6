package com.orgkeys.persistence.accounttoken;

import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenId;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcAccountTokenRepository implements AccountTokenRepository {
    private static final String COLUMNS =
            "id, user_id, purpose, token_hash, code_hash, email, created_at, expires_at, used_at, attempts";

    private final Jdbc jdbc;

    public JdbcAccountTokenRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(AccountToken token) {
        jdbc.update("INSERT INTO account_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                token.id().value(), token.userId().value(), token.purpose().value(), token.tokenHash(),
                token.codeHash().orElse(null), token.email().value(), token.createdAt(), token.expiresAt(),
                token.usedAt().orElse(null), token.attempts());
    }

    @Override
    public Optional<AccountToken> findUsable(AccountTokenPurpose purpose, String tokenHash, Instant now) {
        return jdbc.one("SELECT " + COLUMNS + """
                 FROM account_tokens
                WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?""",
                JdbcAccountTokenRepository::token, tokenHash, purpose.value(), now);
    }

    @Override
    public Optional<AccountToken> consume(AccountTokenPurpose purpose, String tokenHash, Instant now) {
        // one statement: of two concurrent calls, the second waits for the first's row lock, then finds used_at set
        return jdbc.one("""
                UPDATE account_tokens SET used_at = ?
                 WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
                RETURNING\s""" + COLUMNS,
                JdbcAccountTokenRepository::token, now, tokenHash, purpose.value(), now);
    }

    @Override
    public boolean consume(AccountTokenId id, Instant now) {
        return jdbc.update("UPDATE account_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?",
                now, id.value(), now) == 1;
    }

    @Override
    public Optional<AccountToken> reserveCodeAttempt(UserId userId, AccountTokenPurpose purpose, int maxAttempts,
                                                     Instant issuedAfter, Instant now) {
        // the newest usable token only; the attempt is counted in the same statement that checks the limit
        return jdbc.one("""
                UPDATE account_tokens SET attempts = attempts + 1
                 WHERE id = (SELECT id FROM account_tokens
                              WHERE user_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
                                AND code_hash IS NOT NULL AND created_at > ?
                              ORDER BY created_at DESC, id LIMIT 1)
                   AND attempts < ? AND used_at IS NULL
                RETURNING\s""" + COLUMNS,
                JdbcAccountTokenRepository::token, userId.value(), purpose.value(), now, issuedAfter, maxAttempts);
    }

    @Override
    public Optional<AccountToken> reserveAttempt(AccountTokenId id, int maxAttempts, Instant now) {
        // the count and the limit in one statement: of parallel guesses, at most maxAttempts get a row back
        return jdbc.one("""
                UPDATE account_tokens SET attempts = attempts + 1
                 WHERE id = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?
                RETURNING\s""" + COLUMNS,
                JdbcAccountTokenRepository::token, id.value(), now, maxAttempts);
    }

    @Override
    public int invalidate(UserId userId, AccountTokenPurpose purpose, Instant now) {
        return jdbc.update("""
                UPDATE account_tokens SET used_at = ?
                 WHERE user_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?""",
                now, userId.value(), purpose.value(), now);
    }

    @Override
    public int deleteEndedBefore(Instant cutoff, int limit) {
        return jdbc.update("""
                DELETE FROM account_tokens WHERE id IN (
                    SELECT id FROM account_tokens WHERE used_at < ? OR expires_at < ? LIMIT ?)""",
                cutoff, cutoff, limit);
    }

    private static AccountToken token(ResultSet row) throws SQLException {
        Instant usedAt = Jdbc.instant(row, "used_at");
        return new AccountToken(new AccountTokenId(Jdbc.uuid(row, "id")), new UserId(Jdbc.uuid(row, "user_id")),
                AccountTokenPurpose.of(row.getString("purpose")), row.getString("token_hash"),
                Optional.ofNullable(row.getString("code_hash")), new Email(row.getString("email")),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "expires_at"), Optional.ofNullable(usedAt),
                row.getInt("attempts"));
    }
}
