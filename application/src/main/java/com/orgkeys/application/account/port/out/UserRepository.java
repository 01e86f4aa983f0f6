package com.orgkeys.application.account.port.out;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;

import java.time.Instant;
import java.util.Optional;

public interface UserRepository {
    /** @throws com.orgkeys.domain.shared.ConflictException when the email is taken */
    void insert(User user);

    Optional<User> findById(UserId id);

    Optional<User> findByEmail(Email email);

    /** Replaces the user's password hash; false when there is no such user. */
    boolean updatePasswordHash(UserId id, String passwordHash);

    /** Replaces the user's name; false when there is no such user. */
    boolean updateName(UserId id, String name);

    /**
     * Marks the user's email verified at {@code at}, if it is still {@code email} and not verified yet; false
     * otherwise (already verified, or the email changed since the mail went out).
     */
    boolean markEmailVerified(UserId id, Email email, Instant at);

    /**
     * Replaces the user's email {@code from} with {@code to}, verified at {@code verifiedAt}; false when the user's
     * email is no longer {@code from} (or there is no such user).
     *
     * @throws com.orgkeys.domain.shared.ConflictException when another account has {@code to}
     */
    boolean changeEmail(UserId id, Email from, Email to, Instant verifiedAt);
}
