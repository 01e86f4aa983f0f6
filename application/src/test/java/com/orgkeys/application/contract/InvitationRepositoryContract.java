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
}
