package com.orgkeys.domain.secretkey;

import com.orgkeys.domain.shared.ChecksummedSecret;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A backend secret key: {@code sk_orgkeys_} + a {@link ChecksummedSecret}. The product's own marker, never
 * {@code sk_live_}/{@code sk_test_}, which secret scanners attribute to Stripe. Only {@link #hash()} is stored.
 */
public final class SecretKeySecret {
    public static final String PREFIX = "sk_orgkeys_";
    public static final int LENGTH = ChecksummedSecret.length(PREFIX);
    public static final Pattern SCANNER_REGEX = Pattern.compile("\\bsk_orgkeys_[0-9A-Za-z]{49}\\b");

    private final String value;

    private SecretKeySecret(String value) {
        this.value = value;
    }

    public static SecretKeySecret generate() {
        return new SecretKeySecret(ChecksummedSecret.generate(PREFIX));
    }

    /** The secret if {@code text} has the right shape and checksum; empty otherwise. Pure computation. */
    public static Optional<SecretKeySecret> parse(String text) {
        return ChecksummedSecret.isValid(PREFIX, text) ? Optional.of(new SecretKeySecret(text)) : Optional.empty();
    }

    public String hash() {
        return ChecksummedSecret.hash(value);
    }

    public String hint() {
        return ChecksummedSecret.hint(PREFIX, value);
    }

    /** The secret itself: only for the one answer that shows it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "SecretKeySecret[" + hint() + "]";
    }
}
