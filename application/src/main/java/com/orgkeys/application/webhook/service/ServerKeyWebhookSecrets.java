package com.orgkeys.application.webhook.service;

import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.application.twofactor.port.out.SecretCipher;
import com.orgkeys.application.webhook.port.out.WebhookSecretSealer;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Seals webhook signing secrets as TOTP secrets are ({@code TotpSecretCipher}): AES-GCM under the current
 * {@link SecretPurpose#WEBHOOK_SECRETS} server key, opened with the version they name. The endpoint's id is the
 * associated data, so a ciphertext copied to another endpoint's row does not open.
 */
public final class ServerKeyWebhookSecrets implements WebhookSecretSealer {
    private final ReadServerSecretsUseCase secrets;
    private final SecretCipher cipher;

    public ServerKeyWebhookSecrets(ReadServerSecretsUseCase secrets, SecretCipher cipher) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    @Override
    public Sealed seal(WebhookEndpointId endpoint, WebhookSecret secret) {
        ServerSecret key = secrets.currentSecret(SecretPurpose.WEBHOOK_SECRETS);
        return new Sealed(key.version(), cipher.seal(key.key(), secret.value().getBytes(StandardCharsets.UTF_8),
                associatedData(endpoint)));
    }

    @Override
    public WebhookSecret open(WebhookEndpointId endpoint, Sealed sealed) {
        ServerSecret key = secrets.secret(SecretPurpose.WEBHOOK_SECRETS, sealed.keyVersion())
                .orElseThrow(() -> new IllegalStateException("no webhook secret key version " + sealed.keyVersion()));
        return new WebhookSecret(new String(cipher.open(key.key(), sealed.ciphertext(), associatedData(endpoint)),
                StandardCharsets.UTF_8));
    }

    private static byte[] associatedData(WebhookEndpointId endpoint) {
        return ("orgkeys-webhook-secret\n" + endpoint).getBytes(StandardCharsets.UTF_8);
    }
}
