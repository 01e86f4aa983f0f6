package com.orgkeys.application.passkey.service;

import com.orgkeys.domain.shared.FieldError;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The checks of what a browser sends back from a passkey ceremony, before anything is looked up. */
public final class PasskeyInput {
    /** An answer's JSON is a few hundred bytes to a few KB (attestation certificates); more is not an answer. */
    public static final int MAX_CREDENTIAL_LENGTH = 32_768;

    private PasskeyInput() {
    }

    /** The ceremony id, or empty with a field error added. */
    public static Optional<UUID> ceremonyId(String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            errors.add(new FieldError("ceremonyId", "is required"));
            return Optional.empty();
        }
        try {
            if (text.length() == 36) return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            // reported below, as any other text that is not a UUID
        }
        errors.add(new FieldError("ceremonyId", "is not a ceremony id (from the options)"));
        return Optional.empty();
    }

    /** The browser's answer (the credential's {@code toJSON()}), checked for presence and size only. */
    public static String credential(String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            errors.add(new FieldError("credential", "is required"));
        } else if (text.length() > MAX_CREDENTIAL_LENGTH) {
            errors.add(new FieldError("credential", "must be at most " + MAX_CREDENTIAL_LENGTH + " characters"));
        }
        return text;
    }
}
