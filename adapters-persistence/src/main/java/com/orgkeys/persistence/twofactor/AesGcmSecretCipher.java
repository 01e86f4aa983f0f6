package com.orgkeys.persistence.twofactor;

import com.orgkeys.application.twofactor.port.out.SecretCipher;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/** AES-256-GCM from the JDK: a random 12-byte IV, then the ciphertext with its 128-bit tag. */
public final class AesGcmSecretCipher implements SecretCipher {
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom random = new SecureRandom();

    @Override
    public byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, iv, associatedData).doFinal(plaintext);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public byte[] open(byte[] key, byte[] ciphertext, byte[] associatedData) {
        if (ciphertext.length < IV_BYTES + TAG_BITS / 8) throw new IllegalStateException("ciphertext too short");
        try {
            return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(ciphertext, IV_BYTES), associatedData)
                    .doFinal(ciphertext, IV_BYTES, ciphertext.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the ciphertext does not open with this key and associated data", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] associatedData) throws GeneralSecurityException {
        if (key.length < KEY_BYTES) throw new IllegalArgumentException("a key of 32 bytes or more");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, 0, KEY_BYTES, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
