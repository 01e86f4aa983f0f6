package com.orgkeys.application.twofactor.service;

import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.application.twofactor.port.out.SecretCipher;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret;
import com.orgkeys.domain.twofactor.TotpSecret;

import java.nio.charset.StandardCharsets;

/**
 * Encrypts TOTP secrets at rest under the current {@link SecretPurpose#TWO_FACTOR} server key, and decrypts them
 * with the version they name (every version is kept: see {@link SecretPurpose#keepsOldVersions()}). The user's id
 * is the associated data, so a ciphertext copied to another user's row does not decrypt.
 */
public final class TotpSecretCipher {
    private final ReadServerSecretsUseCase secrets;
    private final SecretCipher cipher;

    public TotpSecretCipher(ReadServerSecretsUseCase secrets, SecretCipher cipher) {
        this.secrets = secrets;
        this.cipher = cipher;
    }

    public EncryptedSecret encrypt(UserId userId, TotpSecret secret) {
        ServerSecret key = secrets.currentSecret(SecretPurpose.TWO_FACTOR);
        return new EncryptedSecret(key.version(), cipher.seal(key.key(), secret.bytes(), associatedData(userId)));
    }

    /** @throws IllegalStateException when the key version is gone or the ciphertext is not this user's */
    public TotpSecret decrypt(UserId userId, EncryptedSecret encrypted) {
        ServerSecret key = secrets.secret(SecretPurpose.TWO_FACTOR, encrypted.keyVersion())
                .orElseThrow(() -> new IllegalStateException("no two-factor key version " + encrypted.keyVersion()));
        return new TotpSecret(cipher.open(key.key(), encrypted.ciphertext(), associatedData(userId)));
    }

    private static byte[] associatedData(UserId userId) {
        return ("orgkeys-totp\n" + userId).getBytes(StandardCharsets.UTF_8);
    }
}
