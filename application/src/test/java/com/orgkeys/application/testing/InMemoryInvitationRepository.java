package com.orgkeys.application.testing;

import com.orgkeys.application.invitation.port.out.InvitationRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

public final class InMemoryInvitationRepository implements InvitationRepository {
    private static final Comparator<Invitation> NEWEST_FIRST = Comparator.comparing(Invitation::createdAt).reversed()
            .thenComparing(i -> i.id().value().toString());

    private final InMemoryStore store;

    public InMemoryInvitationRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(Invitation invitation) {
        store.write(() -> {
            InMemoryStore.requireReference(store.organizations().containsKey(invitation.organizationId()),
                    "organization");
            InMemoryStore.requireReference(store.users().containsKey(invitation.invitedBy()), "user");
            boolean taken = store.invitations().containsKey(invitation.id()) || store.invitations().values().stream()
                    .anyMatch(i -> i.tokenHash().equals(invitation.tokenHash()));
            if (taken) throw new ConflictException("already exists");
            store.invitations().put(invitation.id(), invitation);
        });
    }

    @Override
    public Optional<Invitation> find(OrganizationId organizationId, InvitationId id) {
        return store.read(() -> Optional.ofNullable(store.invitations().get(id))
                .filter(i -> i.organizationId().equals(organizationId)));
    }

    @Override
    public Optional<Invitation> findByTokenHash(String tokenHash) {
        return store.read(() -> store.invitations().values().stream()
                .filter(i -> i.tokenHash().equals(tokenHash)).findFirst());
    }

    @Override
    public List<Invitation> listPending(OrganizationId organizationId, Instant now) {
        return store.read(() -> store.invitations().values().stream()
                .filter(i -> i.organizationId().equals(organizationId) && i.isPendingAt(now))
                .sorted(NEWEST_FIRST).toList());
    }

    @Override
    public Optional<Invitation> findPendingForEmail(OrganizationId organizationId, Email email, Instant now) {
        return listPending(organizationId, now).stream().filter(i -> i.email().equals(email)).findFirst();
    }

    @Override
    public void update(Invitation invitation) {
        store.write(() -> store.invitations().computeIfPresent(invitation.id(), (k, i) ->
                !i.organizationId().equals(invitation.organizationId()) ? i
                        : new Invitation(i.id(), i.organizationId(), i.email(), i.role(), i.tokenHash(), i.invitedBy(),
                        i.createdAt(), i.expiresAt(), invitation.acceptedAt(), invitation.revokedAt())));
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return store.writeAndAnswer(() -> {
            List<InvitationId> finished = store.invitations().values().stream()
                    .filter(i -> i.acceptedAt().map(a -> a.isBefore(cutoff)).orElse(false)
                            || i.revokedAt().map(r -> r.isBefore(cutoff)).orElse(false)
                            || i.expiresAt().isBefore(cutoff))
                    .limit(limit).map(Invitation::id).toList();
            finished.forEach(store.invitations()::remove);
            return finished.size();
        });
    }
}
