package com.orgkeys.application.account.port.out;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;

import com.orgkeys.domain.account.UserMetadata;
import com.orgkeys.domain.account.UserProfile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

    /** The orders of the backend API's user list (Clerk's {@code order_by} names). */
    enum Order { CREATED_AT, EMAIL, NAME }

    /**
     * Which users: with one of {@code emails} (none: any), whose email or name contains {@code text}, sorted by
     * {@code order} ({@code descending} or not), then by id.
     */
    record Filter(List<Email> emails, Optional<String> text, Order order, boolean descending) {
        public Filter {
            emails = List.copyOf(emails);
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(order, "order");
        }
    }

    Optional<UserProfile> profile(UserId id);

    /** Up to {@code limit} users {@code filter} matches, after the first {@code offset}. */
    List<UserProfile> list(Filter filter, int limit, int offset);

    /** How many users {@code filter} matches, counting no further than {@code cap}. */
    long count(Filter filter, int cap);

    /** The user's metadata, their row locked until the transaction ends (a merge reads and writes it). */
    Optional<UserMetadata> lockMetadata(UserId id);

    /** Replaces the user's three metadata objects; false when there is no such user. */
    boolean updateMetadata(UserId id, UserMetadata metadata);

    /** Deletes the user with their sessions, memberships, factors and tokens; false when there is no such user. */
    boolean delete(UserId id);
}
