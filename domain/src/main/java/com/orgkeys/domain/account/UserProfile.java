package com.orgkeys.domain.account;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A user as the backend API shows them: the account, its metadata, its sessions' latest sign-in and activity. */
public record UserProfile(User user, UserMetadata metadata, Optional<Instant> lastSignInAt, Optional<Instant> lastActiveAt) {
    public UserProfile {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(lastSignInAt, "lastSignInAt");
        Objects.requireNonNull(lastActiveAt, "lastActiveAt");
    }
}
