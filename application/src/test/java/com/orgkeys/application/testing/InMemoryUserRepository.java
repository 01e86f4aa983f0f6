package com.orgkeys.application.testing;

import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.ConflictException;

import com.orgkeys.domain.account.UserMetadata;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

public final class InMemoryUserRepository implements UserRepository {
    private final InMemoryStore store;

    public InMemoryUserRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(User user) {
        store.write(() -> {
            boolean taken = store.users().containsKey(user.id())
                    || store.users().values().stream().anyMatch(u -> u.email().value().equalsIgnoreCase(user.email().value()));
            if (taken) throw new ConflictException("Email is already registered.");
            store.users().put(user.id(), user);
        });
    }

    @Override
    public Optional<User> findById(UserId id) {
        return store.read(() -> Optional.ofNullable(store.users().get(id)));
    }

    @Override
    public Optional<User> findByEmail(Email email) {
        return store.read(() -> store.users().values().stream()
                .filter(u -> u.email().value().equalsIgnoreCase(email.value())).findFirst());
    }

    @Override
    public boolean updatePasswordHash(UserId id, String passwordHash) {
        return store.writeAndAnswer(() -> {
            User u = store.users().get(id);
            if (u == null) return false;
            store.users().put(id, new User(u.id(), u.email(), u.name(), passwordHash, u.createdAt(), u.emailVerifiedAt()));
            return true;
        });
    }

    @Override
    public boolean updateName(UserId id, String name) {
        return store.writeAndAnswer(() -> {
            User u = store.users().get(id);
            if (u == null) return false;
            store.users().put(id, new User(u.id(), u.email(), name, u.passwordHash(), u.createdAt(), u.emailVerifiedAt()));
            return true;
        });
    }

    @Override
    public boolean markEmailVerified(UserId id, Email email, Instant at) {
        return store.writeAndAnswer(() -> {
            User u = store.users().get(id);
            if (u == null || !u.email().equals(email) || u.emailVerified()) return false;
            store.users().put(id, new User(u.id(), u.email(), u.name(), u.passwordHash(), u.createdAt(), Optional.of(at)));
            return true;
        });
    }

    @Override
    public boolean changeEmail(UserId id, Email from, Email to, Instant verifiedAt) {
        return store.writeAndAnswer(() -> {
            User u = store.users().get(id);
            if (u == null || !u.email().equals(from)) return false;
            boolean taken = store.users().values().stream()
                    .anyMatch(other -> !other.id().equals(id) && other.email().value().equalsIgnoreCase(to.value()));
            if (taken) throw new ConflictException("That email belongs to another account.");
            store.users().put(id, new User(u.id(), to, u.name(), u.passwordHash(), u.createdAt(), Optional.of(verifiedAt)));
            return true;
        });
    }

    @Override
    public Optional<UserProfile> profile(UserId id) {
        return store.read(() -> Optional.ofNullable(store.users().get(id)).map(this::profileOf));
    }

    private UserProfile profileOf(User u) {
        List<com.orgkeys.domain.account.Session> own = store.sessions().values().stream()
                .filter(s -> s.userId().equals(u.id())).toList();
        return new UserProfile(u, store.userMetadata().getOrDefault(u.id(), UserMetadata.EMPTY),
                own.stream().map(com.orgkeys.domain.account.Session::createdAt).max(Comparator.naturalOrder()),
                own.stream().map(com.orgkeys.domain.account.Session::lastActiveAt).max(Comparator.naturalOrder()));
    }

    private Stream<User> matching(Filter filter) {
        return store.users().values().stream()
                .filter(u -> filter.emails().isEmpty() || filter.emails().contains(u.email()))
                .filter(u -> filter.text().isEmpty() || (u.email().value() + "\n" + u.name()).toLowerCase(Locale.ROOT)
                        .contains(filter.text().get().toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<UserProfile> list(Filter filter, int limit, int offset) {
        Comparator<User> order = switch (filter.order()) {
            case CREATED_AT -> Comparator.comparing(User::createdAt);
            case EMAIL -> Comparator.comparing(u -> u.email().value());
            case NAME -> Comparator.comparing(User::name);
        };
        // then by id, in the same direction, as the SQL's ORDER BY does (uuid order = lower-case hex order)
        order = order.thenComparing(u -> u.id().value().toString());
        Comparator<User> sorted = filter.descending() ? order.reversed() : order;
        return store.read(() -> matching(filter).sorted(sorted).skip(offset).limit(limit).map(this::profileOf).toList());
    }

    @Override
    public long count(Filter filter, int cap) {
        return store.read(() -> Math.min(matching(filter).count(), cap));
    }

    @Override
    public Optional<UserMetadata> lockMetadata(UserId id) {
        return store.read(() -> store.users().containsKey(id)
                ? Optional.of(store.userMetadata().getOrDefault(id, UserMetadata.EMPTY)) : Optional.empty());
    }

    @Override
    public boolean updateMetadata(UserId id, UserMetadata metadata) {
        return store.writeAndAnswer(() -> {
            if (!store.users().containsKey(id)) return false;
            store.userMetadata().put(id, metadata);
            return true;
        });
    }

    @Override
    public boolean delete(UserId id) {
        return store.writeAndAnswer(() -> store.deleteUser(id));
    }
}
