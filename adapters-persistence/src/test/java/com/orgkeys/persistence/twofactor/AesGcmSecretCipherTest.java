package com.orgkeys.persistence.twofactor;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AesGcmSecretCipherTest {
    private final AesGcmSecretCipher cipher = new AesGcmSecretCipher();
    private final byte[] key = filled(32, 7);
    private final byte[] plaintext = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private final byte[] ad = "orgkeys-totp\nuser-1".getBytes(StandardCharsets.UTF_8);

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void a_sealed_secret_opens_with_the_same_key_and_associated_data_only() {
        byte[] sealed = cipher.seal(key, plaintext, ad);
        assertArrayEquals(plaintext, cipher.open(key, sealed, ad));
        assertFalse(Arrays.equals(sealed, cipher.seal(key, plaintext, ad)), "a random IV each time");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("1234567890"));

        assertThrows(IllegalStateException.class, () -> cipher.open(filled(32, 8), sealed, ad));
        assertThrows(IllegalStateException.class,
                () -> cipher.open(key, sealed, "orgkeys-totp\nuser-2".getBytes(StandardCharsets.UTF_8)));
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.open(key, altered, ad));
        assertThrows(IllegalStateException.class, () -> cipher.open(key, new byte[5], ad));
    }
}
