package com.orgkeys.domain.membership;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;

import java.time.Instant;

/** A membership seen with the member's profile, as lists show it. */
public record Member(UserId userId, Email email, String name, RoleKey role, Instant joinedAt) {
}
