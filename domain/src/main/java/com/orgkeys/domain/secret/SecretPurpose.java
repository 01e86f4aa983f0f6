package com.orgkeys.domain.secret;

/** What a server secret is for: each purpose has its own key versions, rotated together. */
public enum SecretPurpose {
    /** Signs the dashboard's form tokens and the small values it keeps in cookies (pre-session, flash). */
    FORMS("forms");

    private final String value;

    SecretPurpose(String value) {
        this.value = value;
    }

    /** The name stored in the database. */
    public String value() {
        return value;
    }

    public static SecretPurpose of(String value) {
        for (SecretPurpose purpose : values()) if (purpose.value.equals(value)) return purpose;
        throw new IllegalArgumentException("unknown secret purpose " + value);
    }
}
