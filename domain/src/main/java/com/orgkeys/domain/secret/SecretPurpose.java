package com.orgkeys.domain.secret;

/** What a server secret is for: each purpose has its own key versions, rotated together. */
public enum SecretPurpose {
    /** Signs the dashboard's form tokens and the small values it keeps in cookies (pre-session, flash). */
    FORMS("forms", false),
    /**
     * Encrypts users' TOTP secrets at rest (AES-GCM). Every version is kept when a rotation adds one: a stored
     * secret names the version it was encrypted with, and must decrypt for as long as the user keeps it.
     */
    TWO_FACTOR("two-factor", true),
    /**
     * Encrypts the private keys that sign session tokens at rest (AES-GCM). Every version is kept, as for
     * {@link #TWO_FACTOR}: a sealed private key names the version it was sealed with.
     */
    SIGNING_KEYS("signing-keys", true),
    /**
     * Encrypts webhook endpoints' signing secrets at rest (AES-GCM). Every version is kept, as for
     * {@link #TWO_FACTOR}: a sealed secret names the version it was sealed with.
     */
    WEBHOOK_SECRETS("webhook-secrets", true);

    private final String value;

    private final boolean keepsOldVersions;

    SecretPurpose(String value, boolean keepsOldVersions) {
        this.value = value;
        this.keepsOldVersions = keepsOldVersions;
    }

    /**
     * Whether a rotation keeps every older version (data encrypted at rest) instead of only the one before the
     * new one (signatures that expire).
     */
    public boolean keepsOldVersions() {
        return keepsOldVersions;
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
