package com.orgkeys.domain.apikey;

import java.util.Locale;

public enum ApiKeyStatus {
    ACTIVE, REVOKED, EXPIRED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
