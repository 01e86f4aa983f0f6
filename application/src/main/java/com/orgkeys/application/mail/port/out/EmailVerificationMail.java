package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/**
 * Asks the new user to confirm their address: a link ({@code verifyUrl}, carrying a token, valid until
 * {@code linkExpiresAt}) and the same in short, a 6-digit {@code code} (valid until {@code codeExpiresAt}).
 */
public record EmailVerificationMail(Email to, String name, String verifyUrl, String code, Instant linkExpiresAt,
                                    Instant codeExpiresAt) implements Mail {
    public EmailVerificationMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verifyUrl, "verifyUrl");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(linkExpiresAt, "linkExpiresAt");
        Objects.requireNonNull(codeExpiresAt, "codeExpiresAt");
    }

    /** The link and the code are secrets of the address's owner. */
    @Override
    public String toString() {
        return "EmailVerificationMail[to=" + to + "]";
    }
}
