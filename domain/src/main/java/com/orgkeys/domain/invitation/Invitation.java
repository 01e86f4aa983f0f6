package com.orgkeys.domain.invitation;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An offer to join an organization with a role, redeemable once by the invited email before it expires. */
public record Invitation(InvitationId id, OrganizationId organizationId, Email email, RoleKey role, String tokenHash,
                         UserId invitedBy, Instant createdAt, Instant expiresAt, Optional<Instant> acceptedAt,
                         Optional<Instant> revokedAt) {
    public static final Duration VALIDITY = Duration.ofDays(7);

    public Invitation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(invitedBy, "invitedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean isPendingAt(Instant now) {
        return acceptedAt.isEmpty() && revokedAt.isEmpty() && now.isBefore(expiresAt);
    }

    /** Checks that {@code email} may redeem this invitation now; returns the accepted invitation. */
    public Invitation accept(Email acceptingEmail, Instant now) {
        requireAnswerableBy(acceptingEmail, now);
        return new Invitation(id, organizationId, email, role, tokenHash, invitedBy, createdAt, expiresAt,
                Optional.of(now), revokedAt);
    }

    /**
     * Checks that {@code email} may turn this invitation down now; returns it withdrawn (as if revoked: a declined
     * invitation is no longer pending, and the organization may invite again).
     */
    public Invitation decline(Email decliningEmail, Instant now) {
        requireAnswerableBy(decliningEmail, now);
        return new Invitation(id, organizationId, email, role, tokenHash, invitedBy, createdAt, expiresAt,
                acceptedAt, Optional.of(now));
    }

    private void requireAnswerableBy(Email answeringEmail, Instant now) {
        if (revokedAt.isPresent()) throw new ConflictException("This invitation was revoked.");
        if (acceptedAt.isPresent()) throw new ConflictException("This invitation was already used.");
        if (!now.isBefore(expiresAt)) throw new ConflictException("This invitation has expired; ask for a new one.");
        if (!email.equals(answeringEmail)) {
            throw new ForbiddenException("This invitation is for another email address; sign in as the invited user.");
        }
    }
}
