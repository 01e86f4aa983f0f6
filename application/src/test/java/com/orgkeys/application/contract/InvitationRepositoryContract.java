package com.orgkeys.application.contract;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.organization.Organization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

public abstract class InvitationRepositoryContract extends RepositoryContract {
    @Test
    public void invitation_is_found_in_its_organization_and_by_token_but_not_from_another_organization() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Invitation invitation = given.invitation(acme, alice, "bob@example.com", T0);

        assertEquals(Optional.of(invitation), repositories.invitations().find(acme.id(), invitation.id()));
        assertEquals(Optional.empty(), repositories.invitations().find(other.id(), invitation.id()));
        assertEquals(Optional.empty(), repositories.invitations().find(acme.id(), InvitationId.random()));
        assertEquals(Optional.of(invitation), repositories.invitations().findByTokenHash(invitation.tokenHash()));
        assertEquals(Optional.empty(), repositories.invitations().findByTokenHash("no-such-token"));
    }

    @Test
    public void pending_invitations_exclude_accepted_revoked_and_expired_ones_newest_first() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Instant now = at(Duration.ofDays(10));
        Invitation older = given.invitation(acme, alice, "a@example.com", at(Duration.ofDays(5)));
        Invitation newer = given.invitation(acme, alice, "b@example.com", at(Duration.ofDays(6)));
        Invitation accepted = given.invitation(acme, alice, "c@example.com", at(Duration.ofDays(7)));
        repositories.invitations().update(accepted.accept(new Email("c@example.com"), at(Duration.ofDays(8))));
        Invitation revoked = given.invitation(acme, alice, "d@example.com", at(Duration.ofDays(7)));
        repositories.invitations().update(new Invitation(revoked.id(), acme.id(), revoked.email(), revoked.role(),
                revoked.tokenHash(), alice.id(), revoked.createdAt(), revoked.expiresAt(), Optional.empty(),
                Optional.of(at(Duration.ofDays(8)))));
        given.invitation(acme, alice, "e@example.com", now.minus(Invitation.VALIDITY)); // expires right now
        given.invitation(given.organization("Other"), alice, "f@example.com", at(Duration.ofDays(9)));

        assertEquals(List.of(newer, older), repositories.invitations().listPending(acme.id(), now));
    }

    @Test
    public void pending_invitation_is_found_for_its_email_only_while_pending() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Invitation invitation = given.invitation(acme, alice, "bob@example.com", T0);
        Instant now = at(Duration.ofDays(1));

        assertEquals(Optional.of(invitation),
                repositories.invitations().findPendingForEmail(acme.id(), new Email("Bob@Example.com"), now));
        assertEquals(Optional.empty(),
                repositories.invitations().findPendingForEmail(acme.id(), new Email("carol@example.com"), now));
        assertEquals(Optional.empty(), repositories.invitations().findPendingForEmail(acme.id(),
                new Email("bob@example.com"), invitation.expiresAt()));
    }

    @Test
    public void update_stores_the_acceptance() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Invitation invitation = given.invitation(acme, alice, "bob@example.com", T0);
        Invitation accepted = invitation.accept(new Email("bob@example.com"), at(Duration.ofHours(2)));

        repositories.invitations().update(accepted);

        assertEquals(Optional.of(accepted), repositories.invitations().find(acme.id(), invitation.id()));
        assertEquals(List.of(), repositories.invitations().listPending(acme.id(), at(Duration.ofHours(3))));
    }

    @Test
    public void invitations_finished_before_the_cutoff_are_deleted_and_the_others_stay() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Instant cutoff = at(Duration.ofDays(60));
        Invitation acceptedLongAgo = given.invitation(acme, alice, "a@example.com", at(Duration.ofDays(58)));
        repositories.invitations().update(acceptedLongAgo.accept(new Email("a@example.com"), cutoff.minusSeconds(1)));
        Invitation acceptedRecently = given.invitation(acme, alice, "b@example.com", at(Duration.ofDays(58)));
        repositories.invitations().update(acceptedRecently.accept(new Email("b@example.com"), cutoff.plusSeconds(1)));
        Invitation revokedLongAgo = given.invitation(acme, alice, "c@example.com", at(Duration.ofDays(58)));
        revoke(revokedLongAgo, cutoff.minusSeconds(1));
        Invitation revokedRecently = given.invitation(acme, alice, "d@example.com", at(Duration.ofDays(58)));
        revoke(revokedRecently, cutoff.plusSeconds(1));
        Invitation expiredLongAgo = given.invitation(acme, alice, "e@example.com",
                cutoff.minus(Invitation.VALIDITY).minusSeconds(1));
        Invitation expiredRecently = given.invitation(acme, alice, "f@example.com",
                cutoff.minus(Invitation.VALIDITY).plusSeconds(1));
        Invitation pending = given.invitation(given.organization("Other"), alice, "g@example.com", cutoff);

        assertEquals(3, repositories.invitations().deleteFinishedBefore(cutoff, 100));

        for (Invitation gone : List.of(acceptedLongAgo, revokedLongAgo, expiredLongAgo)) {
            assertEquals(Optional.empty(), repositories.invitations().findByTokenHash(gone.tokenHash()));
        }
        for (Invitation kept : List.of(acceptedRecently, revokedRecently, expiredRecently, pending)) {
            assertEquals(Optional.of(kept.id()),
                    repositories.invitations().findByTokenHash(kept.tokenHash()).map(Invitation::id));
        }
        assertEquals(0, repositories.invitations().deleteFinishedBefore(cutoff, 100));
    }

    @Test
    public void deleting_finished_invitations_takes_at_most_the_limit_at_a_time() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        for (int i = 0; i < 5; i++) given.invitation(acme, alice, "x" + i + "@example.com", T0);
        Instant cutoff = at(Duration.ofDays(60));
        Invitation pending = given.invitation(acme, alice, "y@example.com", cutoff);

        assertEquals(2, repositories.invitations().deleteFinishedBefore(cutoff, 2));
        assertEquals(2, repositories.invitations().deleteFinishedBefore(cutoff, 2));
        assertEquals(1, repositories.invitations().deleteFinishedBefore(cutoff, 2));
        assertEquals(0, repositories.invitations().deleteFinishedBefore(cutoff, 2));
        assertEquals(List.of(pending), repositories.invitations().listPending(acme.id(), cutoff));
    }

    private void revoke(Invitation invitation, Instant at) {
        repositories.invitations().update(new Invitation(invitation.id(), invitation.organizationId(),
                invitation.email(), invitation.role(), invitation.tokenHash(), invitation.invitedBy(),
                invitation.createdAt(), invitation.expiresAt(), Optional.empty(), Optional.of(at)));
    }
}
