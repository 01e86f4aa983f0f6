package com.orgkeys.application.testing;

import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.ConflictException;

import java.time.Instant;
import java.util.Optional;

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
}
