package com.orgkeys.domain.sessiontoken;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One key pair that signs session tokens (RS256). Generations count up from 1; a rotation adds the next one, which is
 * published in the JWKS from {@link #createdAt()} but signs only from {@link #signsFrom()}, so verifiers that cached
 * the JWKS have fetched it before they meet a token it signed. A key is retired when the next generation starts
 * signing; its private part is deleted once every token it signed has expired, and its row stays as the record of
 * the rotation ({@link #createdBy()}).
 *
 * @param kid        the JWK key id: the RFC 7638 thumbprint of the public key
 * @param publicKey  X.509 SubjectPublicKeyInfo (DER)
 * @param privateKey PKCS#8 (DER) sealed with a server secret; empty once the key was retired and its tokens expired
 * @param createdBy  who made it: {@code first-use}, {@code automatic:age} or {@code cli}
 */
public record SigningKey(int generation, String kid, byte[] publicKey, Optional<SealedPrivateKey> privateKey,
                         Instant createdAt, Instant signsFrom, String createdBy) {
    /** The private key sealed under {@code serverSecretVersion} of the signing-keys server secret. */
    public record SealedPrivateKey(int serverSecretVersion, byte[] ciphertext) {
        public SealedPrivateKey {
            if (serverSecretVersion < 1) throw new IllegalArgumentException("serverSecretVersion must be at least 1");
            Objects.requireNonNull(ciphertext, "ciphertext");
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }
    }

    public SigningKey {
        if (generation < 1) throw new IllegalArgumentException("generation must be at least 1");
        if (kid == null || kid.isBlank() || kid.length() > 100) throw new IllegalArgumentException("kid: 1-100 characters");
        Objects.requireNonNull(publicKey, "publicKey");
        publicKey = publicKey.clone();
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(signsFrom, "signsFrom");
        if (signsFrom.isBefore(createdAt)) throw new IllegalArgumentException("a key cannot sign before it exists");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** This key without its private part: what is kept of it once nothing it signed can still be valid. */
    public SigningKey withoutPrivateKey() {
        return new SigningKey(generation, kid, publicKey, Optional.empty(), createdAt, signsFrom, createdBy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey that && generation == that.generation && kid.equals(that.kid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generation, kid);
    }

    @Override
    public String toString() {
        return "SigningKey[" + generation + " " + kid + ", signs from " + signsFrom + ", by " + createdBy + "]";
    }
}
