package com.orgkeys.application.testing;

import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.twofactor.TotpFactor;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.membership.UserOrganization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public final class InMemoryMembershipRepository implements MembershipRepository {
    // The same orders as the SQL, ties broken by id (uuid order = lower-case hex order).
    private static final Comparator<Member> OLDEST_FIRST = Comparator.comparing(Member::joinedAt)
            .thenComparing(m -> m.userId().value().toString());
    private static final Comparator<UserOrganization> BY_NAME = Comparator
            .comparing((UserOrganization u) -> u.organization().name(), InMemoryMembershipRepository::byCodePoint)
            .thenComparing(u -> u.organization().id().value().toString());

    private final InMemoryStore store;

    public InMemoryMembershipRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(Membership membership) {
        store.write(() -> {
            InMemoryStore.requireReference(store.users().containsKey(membership.userId()), "user");
            InMemoryStore.requireReference(store.organizations().containsKey(membership.organizationId()),
                    "organization");
            var key = new InMemoryStore.MembershipKey(membership.organizationId(), membership.userId());
            if (store.memberships().putIfAbsent(key, membership) != null) {
                throw new ConflictException("The user is already a member.");
            }
        });
    }

    @Override
    public Optional<Membership> find(OrganizationId organizationId, UserId userId) {
        return store.read(() -> Optional.ofNullable(
                store.memberships().get(new InMemoryStore.MembershipKey(organizationId, userId))));
    }

    @Override
    public List<UserOrganization> listForUser(UserId userId) {
        return store.read(() -> store.memberships().values().stream()
                .filter(m -> m.userId().equals(userId))
                .map(m -> new UserOrganization(store.organizations().get(m.organizationId()), m.role()))
                .sorted(BY_NAME).toList());
    }

    @Override
    public Page<Member> page(OrganizationId organizationId, Set<RoleKey> roles, PageRequest page) {
        String list = roles.isEmpty() ? Cursor.list("members", organizationId)
                : Cursor.list("members", organizationId, String.join(",", roles.stream().map(RoleKey::value).sorted().toList()));
        return store.read(() -> Page.of(store.memberships().values().stream()
                .filter(m -> m.organizationId().equals(organizationId))
                .filter(m -> roles.isEmpty() || roles.contains(m.role()))
                .map(m -> {
                    User user = store.users().get(m.userId());
                    return new Member(user.id(), user.email(), user.name(), m.role(), m.joinedAt(),
                            twoFactorEnabled(user.id()));
                })
                .sorted(OLDEST_FIRST).toList(), page,
                m -> new Cursor.Key(m.joinedAt(), m.userId().value().toString()),
                Cursor.Key.order(false, Comparator.naturalOrder()), list));
    }

    @Override
    public List<Member> findAll(OrganizationId organizationId, Set<UserId> userIds) {
        return store.read(() -> store.memberships().values().stream()
                .filter(m -> m.organizationId().equals(organizationId) && userIds.contains(m.userId()))
                .map(m -> {
                    User user = store.users().get(m.userId());
                    return new Member(user.id(), user.email(), user.name(), m.role(), m.joinedAt(),
                            twoFactorEnabled(user.id()));
                })
                .sorted(OLDEST_FIRST).toList());
    }

    @Override
    public void updateRole(OrganizationId organizationId, UserId userId, RoleKey role) {
        store.write(() -> store.memberships().computeIfPresent(new InMemoryStore.MembershipKey(organizationId, userId),
                (k, m) -> new Membership(m.organizationId(), m.userId(), role, m.joinedAt())));
    }

    @Override
    public void delete(OrganizationId organizationId, UserId userId) {
        store.write(() -> store.memberships().remove(new InMemoryStore.MembershipKey(organizationId, userId)));
    }

    @Override
    public long countWithRole(OrganizationId organizationId, RoleKey role) {
        return store.read(() -> store.memberships().values().stream()
                .filter(m -> m.organizationId().equals(organizationId) && m.role().equals(role)).count());
    }

    @Override
    public Map<OrganizationId, Long> countMembers(Collection<OrganizationId> organizationIds) {
        return store.read(() -> {
            Map<OrganizationId, Long> counts = new HashMap<>();
            for (OrganizationId id : organizationIds) {
                long members = store.memberships().values().stream().filter(m -> m.organizationId().equals(id)).count();
                counts.put(id, Math.min(members, Page.COUNT_CAP));
            }
            return counts;
        });
    }

    /** PostgreSQL's COLLATE "C" compares UTF-8 bytes, which is code point order (not UTF-16 unit order). */
    private static int byCodePoint(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    @Override
    public long countWithoutSecondFactor(OrganizationId organizationId) {
        return store.read(() -> store.memberships().values().stream()
                .filter(m -> m.organizationId().equals(organizationId) && !twoFactorEnabled(m.userId())).count());
    }

    private boolean twoFactorEnabled(UserId userId) {
        TotpFactor factor = store.totpFactors().get(userId);
        return factor != null && factor.enabled()
                || store.passkeys().values().stream().anyMatch(p -> p.userId().equals(userId));
    }
}
