package com.orgkeys.domain.accounttoken;

import java.time.Duration;
import java.util.Arrays;

/** What a one-time account token is good for, and for how long its link stays valid. */
public enum AccountTokenPurpose {
    PASSWORD_RESET("password_reset", Duration.ofMinutes(30)),
    EMAIL_VERIFICATION("email_verification", Duration.ofHours(24)),
    SIGN_IN("sign_in", Duration.ofMinutes(10)),
    EMAIL_CHANGE("email_change", Duration.ofHours(24)),
    /** A password (or mailed link or code) was right and the account has two-factor sign-in: its code is next. */
    SECOND_FACTOR("second_factor", Duration.ofMinutes(5));

    private final String value;
    private final Duration validity;

    AccountTokenPurpose(String value, Duration validity) {
        this.value = value;
        this.validity = validity;
    }

    /** The stored form. */
    public String value() {
        return value;
    }

    public Duration validity() {
        return validity;
    }

    public static AccountTokenPurpose of(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an account token purpose: " + value));
    }
}
