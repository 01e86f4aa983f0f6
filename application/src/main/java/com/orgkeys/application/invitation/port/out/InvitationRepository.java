package com.orgkeys.application.invitation.port.out;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface InvitationRepository {
    void insert(Invitation invitation);

    Optional<Invitation> find(OrganizationId organizationId, InvitationId id);

    Optional<Invitation> findByTokenHash(String tokenHash);

    /** Invitations neither accepted, revoked nor expired at {@code now}, newest first. */
    List<Invitation> listPending(OrganizationId organizationId, Instant now);

    Optional<Invitation> findPendingForEmail(OrganizationId organizationId, Email email, Instant now);

    /** Stores the accepted/revoked state of an existing invitation. */
    void update(Invitation invitation);

    /**
     * Deletes up to {@code limit} invitations that were accepted, revoked or expired before {@code cutoff};
     * returns how many went.
     */
    int deleteFinishedBefore(Instant cutoff, int limit);
}
