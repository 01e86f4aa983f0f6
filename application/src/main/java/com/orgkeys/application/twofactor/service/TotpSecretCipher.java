package com.orgkeys.application.twofactor.service;

import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret;
import com.orgkeys.domain.twofactor.TotpSecret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Encrypts TOTP secrets at rest with AES-256-GCM under the current {@link SecretPurpose#TWO_FACTOR} server key,
 * and decrypts them with the version they name (every version is kept: see {@link SecretPurpose#keepsOldVersions()}).
 * The ciphertext is a random 12-byte IV followed by GCM's output; the user's id is the associated data, so a
 * ciphertext copied to another user's row does not decrypt.
 */
public final class TotpSecretCipher {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom random = new SecureRandom();

    private final ReadServerSecretsUseCase secrets;

    public TotpSecretCipher(ReadServerSecretsUseCase secrets) {
        this.secrets = secrets;
    }

    public EncryptedSecret encrypt(UserId userId, TotpSecret secret) {
        ServerSecret key = secrets.currentSecret(SecretPurpose.TWO_FACTOR);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, userId);
            byte[] sealed = cipher.doFinal(secret.bytes());
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return new EncryptedSecret(key.version(), out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** @throws IllegalStateException when the key version is gone or the ciphertext was altered */
    public TotpSecret decrypt(UserId userId, EncryptedSecret encrypted) {
        ServerSecret key = secrets.secret(SecretPurpose.TWO_FACTOR, encrypted.keyVersion())
                .orElseThrow(() -> new IllegalStateException("no two-factor key version " + encrypted.keyVersion()));
        byte[] data = encrypted.ciphertext();
        if (data.length <= IV_BYTES) throw new IllegalStateException("TOTP ciphertext too short");
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, IV_BYTES), userId);
            return new TotpSecret(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TOTP secret of " + userId + " does not decrypt", e);
        }
    }

    private static Cipher cipher(int mode, ServerSecret key, byte[] iv, UserId userId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key.key(), 0, 32, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(("orgkeys-totp\n" + userId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
