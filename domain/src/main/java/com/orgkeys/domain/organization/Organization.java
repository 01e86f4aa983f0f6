package com.orgkeys.domain.organization;

import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant. Every other piece of data belongs to exactly one organization. When {@code twoFactorRequired}, its
 * members must have an enabled second factor (TOTP) to act in it.
 */
public record Organization(OrganizationId id, String name, Slug slug, Instant createdAt, boolean twoFactorRequired) {
    public Organization {
        Objects.requireNonNull(id, "id");
        name = Text.singleLine("name", name, 100);
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A new organization: two-factor sign-in is not required until an admin turns it on. */
    public Organization(OrganizationId id, String name, Slug slug, Instant createdAt) {
        this(id, name, slug, createdAt, false);
    }

    public Organization rename(String newName) {
        return new Organization(id, newName, slug, createdAt, twoFactorRequired);
    }

    public Organization withSlug(Slug newSlug) {
        return new Organization(id, name, newSlug, createdAt, twoFactorRequired);
    }

    public Organization withTwoFactorRequired(boolean required) {
        return new Organization(id, name, slug, createdAt, required);
    }
}
