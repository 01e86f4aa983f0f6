package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/** A link to choose a new password; {@code resetUrl} carries the reset token, the mail's one secret. */
public record PasswordResetMail(Email to, String name, String resetUrl, Instant expiresAt) implements Mail {
    public PasswordResetMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resetUrl, "resetUrl");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The link is a secret of the account's owner. */
    @Override
    public String toString() {
        return "PasswordResetMail[to=" + to + "]";
    }
}
