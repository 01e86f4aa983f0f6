package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;

/** Seals endpoints' signing secrets for storage, and opens them: the repository never stores one in the clear. */
public interface WebhookSecretSealer {
    /** A secret as stored: the server key version it was sealed under, and the ciphertext. */
    record Sealed(int keyVersion, byte[] ciphertext) {
        public Sealed {
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }
    }

    Sealed seal(WebhookEndpointId endpoint, WebhookSecret secret);

    /** @throws IllegalStateException when the key version is gone or the ciphertext is not this endpoint's */
    WebhookSecret open(WebhookEndpointId endpoint, Sealed sealed);
}
