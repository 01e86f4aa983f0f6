package com.orgkeys.application.twofactor.port.out;

/**
 * Authenticated encryption of small secrets kept at rest (the adapter: AES-256-GCM with a random IV, from the JDK).
 * {@code associatedData} is bound to the ciphertext without being stored in it: opening with other associated data
 * fails, as with another key or an altered ciphertext.
 */
public interface SecretCipher {
    /** The ciphertext (IV included) of {@code plaintext} under the 32-byte {@code key}. */
    byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData);

    /** @throws IllegalStateException when the key or associated data differ, or the ciphertext was altered */
    byte[] open(byte[] key, byte[] ciphertext, byte[] associatedData);
}
