package com.orgkeys.domain.account;

import com.orgkeys.domain.metadata.Metadata;

import java.util.Objects;

/**
 * A user's three metadata objects, as Clerk has them: {@code publicMetadata} set by the backend and readable by the
 * user, {@code privateMetadata} for the backend only, {@code unsafeMetadata} which the user may write too.
 */
public record UserMetadata(Metadata publicMetadata, Metadata privateMetadata, Metadata unsafeMetadata) {
    public static final UserMetadata EMPTY = new UserMetadata(Metadata.EMPTY, Metadata.EMPTY, Metadata.EMPTY);

    public UserMetadata {
        Objects.requireNonNull(publicMetadata, "publicMetadata");
        Objects.requireNonNull(privateMetadata, "privateMetadata");
        Objects.requireNonNull(unsafeMetadata, "unsafeMetadata");
    }

    public UserMetadata withPublic(Metadata metadata) {
        return new UserMetadata(metadata, privateMetadata, unsafeMetadata);
    }

    public UserMetadata withPrivate(Metadata metadata) {
        return new UserMetadata(publicMetadata, metadata, unsafeMetadata);
    }

    public UserMetadata withUnsafe(Metadata metadata) {
        return new UserMetadata(publicMetadata, privateMetadata, metadata);
    }
}
