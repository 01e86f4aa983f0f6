package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/** Sent to the address a user wants to move to: the link that confirms the change, valid until {@code expiresAt}. */
public record EmailChangeMail(Email to, String name, Email currentEmail, String confirmUrl, Instant expiresAt)
        implements Mail {
    public EmailChangeMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(currentEmail, "currentEmail");
        Objects.requireNonNull(confirmUrl, "confirmUrl");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The link is the mail's secret: not printed. */
    @Override
    public String toString() {
        return "EmailChangeMail[to=" + to + "]";
    }
}
