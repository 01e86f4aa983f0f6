package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/**
 * An invitation to join {@code organizationName} as {@code roleName}, from {@code inviterName}; {@code acceptUrl}
 * carries the invitation's one secret (its token).
 */
public record InvitationMail(Email to, String organizationName, String inviterName, String roleName,
                             String acceptUrl, Instant expiresAt) implements Mail {
    public InvitationMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(inviterName, "inviterName");
        Objects.requireNonNull(roleName, "roleName");
        Objects.requireNonNull(acceptUrl, "acceptUrl");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The link is a secret of the invited person. */
    @Override
    public String toString() {
        return "InvitationMail[to=" + to + ", organization=" + organizationName + ", role=" + roleName + "]";
    }
}
