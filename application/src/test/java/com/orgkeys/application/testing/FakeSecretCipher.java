package com.orgkeys.application.testing;

import com.orgkeys.application.twofactor.port.out.SecretCipher;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A stand-in for the AES-GCM adapter with the same contract: the plaintext XORed with a keystream from SHA-256 of
 * the key and associated data, followed by a 16-byte SHA-256 tag; another key, other associated data or an altered
 * ciphertext do not open. Not encryption to rely on: tests only.
 */
public final class FakeSecretCipher implements SecretCipher {
    @Override
    public byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        byte[] stream = stream(key, associatedData, plaintext.length);
        byte[] out = new byte[plaintext.length + 16];
        for (int i = 0; i < plaintext.length; i++) out[i] = (byte) (plaintext[i] ^ stream[i]);
        System.arraycopy(tag(key, associatedData, plaintext), 0, out, plaintext.length, 16);
        return out;
    }

    @Override
    public byte[] open(byte[] key, byte[] ciphertext, byte[] associatedData) {
        if (ciphertext.length < 16) throw new IllegalStateException("too short");
        int length = ciphertext.length - 16;
        byte[] stream = stream(key, associatedData, length);
        byte[] plain = new byte[length];
        for (int i = 0; i < length; i++) plain[i] = (byte) (ciphertext[i] ^ stream[i]);
        if (!MessageDigest.isEqual(tag(key, associatedData, plain), Arrays.copyOfRange(ciphertext, length, length + 16))) {
            throw new IllegalStateException("does not open");
        }
        return plain;
    }

    private static byte[] stream(byte[] key, byte[] associatedData, int length) {
        ByteBuffer out = ByteBuffer.allocate(length + 32);
        for (int block = 0; out.position() < length; block++) out.put(sha256(key, associatedData, new byte[]{(byte) block}));
        return Arrays.copyOf(out.array(), length);
    }

    private static byte[] tag(byte[] key, byte[] associatedData, byte[] plain) {
        return Arrays.copyOf(sha256(key, associatedData, plain, new byte[]{'t'}), 16);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(ByteBuffer.allocate(4).putInt(part.length).array());
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
