package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Locale;

public enum ApiKeyStatus {
    ACTIVE, REVOKED, EXPIRED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A list filter: a status, or null for "all". */
    public static ApiKeyStatus parseFilter(String text) {
        if (text == null || text.isEmpty() || text.equals("all")) return null;
        for (ApiKeyStatus status : values()) if (status.value().equals(text)) return status;
        throw new InvalidInputException("status", "must be one of active, revoked, expired, all");
    }
}
