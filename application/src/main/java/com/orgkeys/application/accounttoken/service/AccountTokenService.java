package com.orgkeys.application.accounttoken.service;

import com.orgkeys.application.accounttoken.port.in.PurgeEndedTokensUseCase;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.retention.port.out.JobLock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The account tokens' share of the retention job: small batches, one node at a time, like the outbox's. */
public final class AccountTokenService implements PurgeEndedTokensUseCase {
    public static final int PURGE_BATCH_SIZE = 1_000;
    public static final int PURGE_MAX_BATCHES = 100;

    private final AccountTokenRepository tokens;
    private final JobLock lock;
    private final Clock clock;
    private final Duration retention;

    public AccountTokenService(AccountTokenRepository tokens, JobLock lock, Clock clock, Duration retention) {
        if (retention.isNegative()) throw new IllegalArgumentException("retention must not be negative");
        this.tokens = tokens;
        this.lock = lock;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public Optional<Integer> purgeEnded() {
        Instant cutoff = clock.instant().minus(retention);
        return lock.drain(() -> tokens.deleteEndedBefore(cutoff, PURGE_BATCH_SIZE), PURGE_BATCH_SIZE, PURGE_MAX_BATCHES);
    }
}
