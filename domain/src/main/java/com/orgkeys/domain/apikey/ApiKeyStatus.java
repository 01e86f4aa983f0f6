package com.orgkeys.domain.apikey;

import java.util.Locale;

public enum ApiKeyStatus {
    ACTIVE, REVOKED, EXPIRED,
    /** Refused like a revoked key until enabled again. */
    DISABLED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
