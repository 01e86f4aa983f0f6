package com.orgkeys.domain.twofactor;

import com.orgkeys.domain.account.Email;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/** A TOTP shared secret: 20 random bytes (160 bits, RFC 4226's recommendation). Never printed. */
public final class TotpSecret {
    public static final int BYTES = 20;
    public static final String ISSUER = "orgkeys";
    private static final SecureRandom random = new SecureRandom();

    private final byte[] bytes;

    public TotpSecret(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) throw new IllegalArgumentException("a TOTP secret has 20 bytes");
        this.bytes = bytes.clone();
    }

    public static TotpSecret generate() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new TotpSecret(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** RFC 4648 base32 without padding, as typed into an authenticator app. */
    public String base32() {
        return Base32.encode(bytes);
    }

    /** The {@code otpauth://} URI a QR code carries, labelled {@code orgkeys:<email>}. */
    public String uri(Email account) {
        String label = URLEncoder.encode(ISSUER + ":" + account.value(), StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%3A", ":").replace("%40", "@");
        return "otpauth://totp/" + label + "?secret=" + base32() + "&issuer=" + ISSUER
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.PERIOD_SECONDS;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TotpSecret that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TotpSecret[***]";
    }
}
