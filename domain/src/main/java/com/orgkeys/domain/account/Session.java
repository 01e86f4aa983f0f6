package com.orgkeys.domain.account;

import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Text;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here. A session ends when
 * revoked, after {@link #IDLE_TIMEOUT} without use, or {@link #ABSOLUTE_LIFETIME} after sign-in.
 */
public record Session(SessionId id, UserId userId, String tokenHash, Optional<OrganizationId> activeOrganization,
                      Instant createdAt, Instant lastActiveAt, String userAgent, String clientAddress,
                      Optional<Instant> revokedAt) {
    public static final Duration IDLE_TIMEOUT = Duration.ofDays(7);
    public static final Duration ABSOLUTE_LIFETIME = Duration.ofDays(30);
    /** lastActiveAt is written at most this often, so that reads do not each cost a write. */
    public static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(activeOrganization, "activeOrganization");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActiveAt, "lastActiveAt");
        // every path that stores a session (API, dashboard, read back) passes here: one place to clean the header
        userAgent = Text.cleaned(userAgent, 300);
        // where the sign-in came from (after TRUSTED_PROXIES), for the owner's list of sessions
        clientAddress = Text.cleaned(clientAddress, 64);
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean isActiveAt(Instant now) {
        return revokedAt.isEmpty()
                && now.isBefore(lastActiveAt.plus(IDLE_TIMEOUT))
                && now.isBefore(createdAt.plus(ABSOLUTE_LIFETIME));
    }

    /** Where a session is at {@code now}: in use, ended by a sign-out or a revocation, or timed out. */
    public enum Status { ACTIVE, REVOKED, EXPIRED }

    public Status status(Instant now) {
        if (revokedAt.isPresent()) return Status.REVOKED;
        return isActiveAt(now) ? Status.ACTIVE : Status.EXPIRED;
    }

    /** When the session times out if unused: the idle timeout or its lifetime, whichever comes first. */
    public Instant expiresAt() {
        Instant idle = lastActiveAt.plus(IDLE_TIMEOUT);
        Instant absolute = createdAt.plus(ABSOLUTE_LIFETIME);
        return idle.isBefore(absolute) ? idle : absolute;
    }

    public boolean needsTouch(Instant now) {
        return !now.isBefore(lastActiveAt.plus(TOUCH_INTERVAL));
    }

    public Session withActiveOrganization(OrganizationId organizationId) {
        return new Session(id, userId, tokenHash, Optional.ofNullable(organizationId), createdAt, lastActiveAt,
                userAgent, clientAddress, revokedAt);
    }
}
