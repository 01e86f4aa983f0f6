package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/** Tells the old address that the account moved to {@code newEmail} (by its owner, or by someone who could sign in). */
public record EmailChangedMail(Email to, String name, Email newEmail, Instant changedAt) implements Mail {
    public EmailChangedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(newEmail, "newEmail");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
