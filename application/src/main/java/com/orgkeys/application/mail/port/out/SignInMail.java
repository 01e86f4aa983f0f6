package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in without the password: a link ({@code signInUrl}, carrying a token) and a 6-digit {@code code}, either
 * usable once until {@code expiresAt}.
 */
public record SignInMail(Email to, String name, String signInUrl, String code, Instant expiresAt) implements Mail {
    public SignInMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signInUrl, "signInUrl");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The link and the code sign in as the recipient. */
    @Override
    public String toString() {
        return "SignInMail[to=" + to + "]";
    }
}
