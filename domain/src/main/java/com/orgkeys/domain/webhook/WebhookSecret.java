package com.orgkeys.domain.webhook;

import com.orgkeys.domain.shared.InvalidInputException;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * An endpoint's signing secret in the Standard Webhooks form: {@code whsec_} and the base64 of the HMAC key (24 to 64
 * random bytes), the text a receiver pastes into its verifier. Never printed.
 */
public record WebhookSecret(String value) {
    public static final String PREFIX = "whsec_";
    private static final int GENERATED_BYTES = 32;
    private static final SecureRandom random = new SecureRandom();

    public WebhookSecret {
        if (value == null || !value.startsWith(PREFIX)) throw new InvalidInputException("secret", "must start with whsec_");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("secret", "must be whsec_ and base64");
        }
        if (key.length < 24 || key.length > 64) throw new InvalidInputException("secret", "must hold 24 to 64 bytes");
    }

    public static WebhookSecret generate() {
        byte[] key = new byte[GENERATED_BYTES];
        random.nextBytes(key);
        return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key));
    }

    /** The HMAC-SHA256 key. */
    public byte[] key() {
        return Base64.getDecoder().decode(value.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return "WebhookSecret[whsec_…]";
    }
}
