package com.orgkeys.application.testing;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

public final class InMemorySessionRepository implements SessionRepository {
    /** As PostgreSQL orders: last activity descending, then id (uuid order = lower-case hex order). */
    private static final Comparator<Session> MOST_RECENTLY_ACTIVE_FIRST = Comparator
            .comparing(Session::lastActiveAt).reversed()
            .thenComparing(s -> s.id().value().toString());

    private final InMemoryStore store;

    public InMemorySessionRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(Session session) {
        store.write(() -> {
            InMemoryStore.requireReference(store.users().containsKey(session.userId()), "user");
            session.activeOrganization().ifPresent(o ->
                    InMemoryStore.requireReference(store.organizations().containsKey(o), "organization"));
            boolean taken = store.sessions().containsKey(session.id()) || store.sessions().values().stream()
                    .anyMatch(s -> s.tokenHash().equals(session.tokenHash()));
            if (taken) throw new ConflictException("already exists");
            store.sessions().put(session.id(), session);
        });
    }

    @Override
    public Optional<Session> findByTokenHash(String tokenHash) {
        return store.read(() -> store.sessions().values().stream()
                .filter(s -> s.tokenHash().equals(tokenHash)).findFirst());
    }

    @Override
    public List<Session> listActive(UserId userId, Instant now) {
        return store.read(() -> store.sessions().values().stream()
                .filter(s -> s.userId().equals(userId) && s.isActiveAt(now))
                .sorted(MOST_RECENTLY_ACTIVE_FIRST).toList());
    }

    @Override
    public void touch(SessionId id, Instant lastActiveAt) {
        store.write(() -> store.sessions().computeIfPresent(id, (k, s) -> new Session(s.id(), s.userId(),
                s.tokenHash(), s.activeOrganization(), s.createdAt(), lastActiveAt, s.userAgent(), s.clientAddress(), s.revokedAt())));
    }

    @Override
    public void setActiveOrganization(SessionId id, Optional<OrganizationId> organizationId) {
        store.write(() -> {
            organizationId.ifPresent(o ->
                    InMemoryStore.requireReference(store.organizations().containsKey(o), "organization"));
            store.sessions().computeIfPresent(id, (k, s) -> s.withActiveOrganization(organizationId.orElse(null)));
        });
    }

    @Override
    public boolean revoke(UserId userId, SessionId id, Instant at) {
        return store.writeAndAnswer(() -> {
            Session s = store.sessions().get(id);
            if (s == null || !s.userId().equals(userId) || s.revokedAt().isPresent()) return false;
            store.sessions().put(id, new Session(s.id(), s.userId(), s.tokenHash(), s.activeOrganization(),
                    s.createdAt(), s.lastActiveAt(), s.userAgent(), s.clientAddress(), Optional.of(at)));
            return true;
        });
    }

    @Override
    public List<Session> revokeAll(UserId userId, Instant at) {
        return revokeOthers(userId, null, at);
    }

    @Override
    public List<Session> revokeOthers(UserId userId, SessionId keep, Instant at) {
        return store.writeAndAnswer(() -> {
            List<Session> revoked = store.sessions().values().stream()
                    .filter(s -> s.userId().equals(userId) && s.revokedAt().isEmpty() && !s.id().equals(keep))
                    .map(s -> new Session(s.id(), s.userId(), s.tokenHash(), s.activeOrganization(), s.createdAt(),
                            s.lastActiveAt(), s.userAgent(), s.clientAddress(), Optional.of(at))).toList();
            revoked.forEach(s -> store.sessions().put(s.id(), s));
            return revoked;
        });
    }

    @Override
    public int deleteEndedBefore(Instant cutoff, int limit) {
        return store.writeAndAnswer(() -> {
            List<SessionId> ended = store.sessions().values().stream()
                    .filter(s -> s.revokedAt().map(r -> r.isBefore(cutoff)).orElse(false)
                            || s.lastActiveAt().plus(Session.IDLE_TIMEOUT).isBefore(cutoff)
                            || s.createdAt().plus(Session.ABSOLUTE_LIFETIME).isBefore(cutoff))
                    .limit(limit).map(Session::id).toList();
            ended.forEach(store.sessions()::remove);
            return ended.size();
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return store.read(() -> Optional.ofNullable(store.sessions().get(id)));
    }

    /** As PostgreSQL orders the list by user: newest first, then id descending. */
    private static final Comparator<Session> NEWEST_FIRST = Comparator.comparing(Session::createdAt)
            .thenComparing(s -> s.id().value().toString()).reversed();

    private java.util.stream.Stream<Session> forUser(UserId userId, Optional<Session.Status> status, Instant now) {
        return store.sessions().values().stream().filter(s -> s.userId().equals(userId))
                .filter(s -> status.isEmpty() || s.status(now) == status.get());
    }

    @Override
    public List<Session> listForUser(UserId userId, Optional<Session.Status> status, Instant now, int limit, int offset) {
        return store.read(() -> forUser(userId, status, now).sorted(NEWEST_FIRST).skip(offset).limit(limit).toList());
    }

    @Override
    public long countForUser(UserId userId, Optional<Session.Status> status, Instant now, int cap) {
        return store.read(() -> Math.min(forUser(userId, status, now).count(), cap));
    }
}
