package com.orgkeys.domain.membership;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;

import java.time.Instant;

/**
 * A membership seen with the member's profile, as lists show it; {@code twoFactorEnabled}: the member has a
 * confirmed second factor (TOTP).
 */
public record Member(UserId userId, Email email, String name, RoleKey role, Instant joinedAt, boolean twoFactorEnabled) {
    /** A member without a second factor. */
    public Member(UserId userId, Email email, String name, RoleKey role, Instant joinedAt) {
        this(userId, email, name, role, joinedAt, false);
    }
}
