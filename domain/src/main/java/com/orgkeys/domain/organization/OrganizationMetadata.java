package com.orgkeys.domain.organization;

import com.orgkeys.domain.metadata.Metadata;

import java.util.Objects;

/**
 * An organization's two metadata objects, as Clerk has them: {@code publicMetadata} set by the backend and readable
 * by the organization's members, {@code privateMetadata} for the backend only. (Clerk has no unsafe one here.)
 */
public record OrganizationMetadata(Metadata publicMetadata, Metadata privateMetadata) {
    public static final OrganizationMetadata EMPTY = new OrganizationMetadata(Metadata.EMPTY, Metadata.EMPTY);

    public OrganizationMetadata {
        Objects.requireNonNull(publicMetadata, "publicMetadata");
        Objects.requireNonNull(privateMetadata, "privateMetadata");
    }

    public OrganizationMetadata withPublic(Metadata metadata) {
        return new OrganizationMetadata(metadata, privateMetadata);
    }

    public OrganizationMetadata withPrivate(Metadata metadata) {
        return new OrganizationMetadata(publicMetadata, metadata);
    }
}
