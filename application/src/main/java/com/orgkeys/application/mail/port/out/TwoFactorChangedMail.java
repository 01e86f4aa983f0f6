package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/**
 * Tells the account's owner that its two-factor sign-in changed: turned on or off, recovery codes renewed, or a
 * recovery code used to sign in, a passkey added or removed.
 */
public record TwoFactorChangedMail(Email to, String name, Change change, Instant changedAt) implements Mail {
    public enum Change {
        ENABLED("enabled", "two-factor sign-in was turned on (and every other session signed out)"),
        DISABLED("disabled", "two-factor sign-in was turned off"),
        RECOVERY_CODES_REGENERATED("recovery_codes_regenerated", "new recovery codes were made (the old ones no longer work)"),
        RECOVERY_CODE_USED("recovery_code_used", "a recovery code was used to sign in"),
        PASSKEY_ADDED("passkey_added", "a passkey was added"),
        PASSKEY_REMOVED("passkey_removed", "a passkey was removed");

        private final String value;
        private final String sentence;

        Change(String value, String sentence) {
            this.value = value;
            this.sentence = sentence;
        }

        public String value() {
            return value;
        }

        /** What happened, as the mail says it. */
        public String sentence() {
            return sentence;
        }

        public static Change of(String value) {
            for (Change c : values()) if (c.value.equals(value)) return c;
            throw new IllegalArgumentException("unknown two-factor change '" + value + "'");
        }
    }

    public TwoFactorChangedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
