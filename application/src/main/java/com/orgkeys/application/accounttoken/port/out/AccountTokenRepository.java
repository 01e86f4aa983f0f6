package com.orgkeys.application.accounttoken.port.out;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenId;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;

import java.time.Instant;
import java.util.Optional;

/**
 * One-time account tokens, found by the SHA-256 of their secret. Every change that decides whether a token may be
 * used is one atomic statement, so that two requests (on one node or two) cannot both use one token.
 */
public interface AccountTokenRepository {
    void insert(AccountToken token);

    /** The token of this purpose and hash if it is unused and unexpired at {@code now}; changes nothing. */
    Optional<AccountToken> findUsable(AccountTokenPurpose purpose, String tokenHash, Instant now);

    /**
     * Marks the token of this purpose and hash used at {@code now} if it is unused and unexpired, and returns it as
     * it is now; empty when there is no such token or another call used it first.
     */
    Optional<AccountToken> consume(AccountTokenPurpose purpose, String tokenHash, Instant now);

    /** Marks this token used at {@code now} if it is still usable; false when it was not (used, expired, gone). */
    boolean consume(AccountTokenId id, Instant now);

    /**
     * Counts one code guess against the user's most recent usable token of {@code purpose} that has a code and was
     * created after {@code issuedAfter} (codes expire before their links), if it has had fewer than
     * {@code maxAttempts}; returns it with the new count. Empty: no such token, or no guesses left.
     */
    Optional<AccountToken> reserveCodeAttempt(UserId userId, AccountTokenPurpose purpose, int maxAttempts,
                                              Instant issuedAfter, Instant now);

    /**
     * Counts one guess against this token if it is usable and has had fewer than {@code maxAttempts}, in one
     * statement; returns it with the new count. Empty: unusable, or no guesses left.
     */
    Optional<AccountToken> reserveAttempt(AccountTokenId id, int maxAttempts, Instant now);

    /** Marks every usable token of the user for {@code purpose} used (a new one replaces them); how many. */
    int invalidate(UserId userId, AccountTokenPurpose purpose, Instant now);

    /** Retention: deletes up to {@code limit} tokens used or expired before {@code cutoff}; how many went. */
    int deleteEndedBefore(Instant cutoff, int limit);
}
