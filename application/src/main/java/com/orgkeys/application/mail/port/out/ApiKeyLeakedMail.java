package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/**
 * Tells an admin of {@code organizationName} that the key {@code keyName} ({@code keyHint}, never the secret) was
 * reported as leaked and revoked at {@code revokedAt}; {@code foundAt} is where the reporter found it ("" when they
 * did not say).
 */
public record ApiKeyLeakedMail(Email to, String name, String organizationName, String keyId, String keyName,
                               String keyHint, Instant revokedAt, String foundAt) implements Mail {
    public ApiKeyLeakedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(keyHint, "keyHint");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(foundAt, "foundAt");
    }
}
