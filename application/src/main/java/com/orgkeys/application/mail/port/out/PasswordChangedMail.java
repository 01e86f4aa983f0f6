package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/** Tells the account's owner that its password was changed (by them, or by someone who had their session). */
public record PasswordChangedMail(Email to, String name, Instant changedAt) implements Mail {
    public PasswordChangedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
