package com.orgkeys.application.account.port.out;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;

import java.util.Optional;

public interface UserRepository {
    /** @throws com.orgkeys.domain.shared.ConflictException when the email is taken */
    void insert(User user);

    Optional<User> findById(UserId id);

    Optional<User> findByEmail(Email email);

    /** Replaces the user's password hash; false when there is no such user. */
    boolean updatePasswordHash(UserId id, String passwordHash);
}
