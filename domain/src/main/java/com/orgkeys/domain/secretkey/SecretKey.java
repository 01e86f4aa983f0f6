package com.orgkeys.domain.secretkey;

import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An instance-level backend secret key: it lets the team's own services call the backend API ({@code /v1}) in any
 * organization. {@code createdBy}/{@code revokedBy} say who acted ("cli:&lt;os user&gt;" or "user:&lt;id&gt;"): these
 * events belong to no organization, so they are kept on the key itself rather than in an organization's audit log.
 */
public record SecretKey(SecretKeyId id, String name, String secretHash, String hint, String createdBy, Instant createdAt,
                        Optional<Instant> revokedAt, Optional<String> revokedBy) {
    public SecretKey {
        Objects.requireNonNull(id, "id");
        name = Text.singleLine("name", name, 100);
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revokedBy, "revokedBy");
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /** Revoking again changes nothing: the first time and revoker stand. */
    public SecretKey revoke(String by, Instant now) {
        if (revoked()) return this;
        return new SecretKey(id, name, secretHash, hint, createdBy, createdAt, Optional.of(now), Optional.of(by));
    }
}
