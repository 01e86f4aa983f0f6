package com.orgkeys.domain.invitation;

import com.orgkeys.domain.shared.NotFoundException;

import java.util.Objects;
import java.util.UUID;

public record InvitationId(UUID value) {
    public InvitationId {
        Objects.requireNonNull(value, "value");
    }

    public static InvitationId random() {
        return new InvitationId(UUID.randomUUID());
    }

    public static InvitationId parse(String text) {
        try {
            return new InvitationId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new NotFoundException("No invitation " + text + ".");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
