package com.orgkeys.domain.organization;

import com.orgkeys.domain.shared.NotFoundException;

import java.util.Objects;
import java.util.UUID;

public record OrganizationId(UUID value) {
    public OrganizationId {
        Objects.requireNonNull(value, "value");
    }

    public static OrganizationId random() {
        return new OrganizationId(UUID.randomUUID());
    }

    /** Parses an id from a request; a malformed id names nothing that exists, so it is "not found". */
    public static OrganizationId parse(String text) {
        try {
            return new OrganizationId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new NotFoundException("No organization " + text + ".");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
