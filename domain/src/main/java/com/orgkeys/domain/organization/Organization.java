package com.orgkeys.domain.organization;

import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.Objects;

/** A tenant. Every other piece of data belongs to exactly one organization. */
public record Organization(OrganizationId id, String name, Slug slug, Instant createdAt) {
    public Organization {
        Objects.requireNonNull(id, "id");
        name = Text.singleLine("name", name, 100);
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Organization rename(String newName) {
        return new Organization(id, newName, slug, createdAt);
    }

    public Organization withSlug(Slug newSlug) {
        return new Organization(id, name, newSlug, createdAt);
    }
}
