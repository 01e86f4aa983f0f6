package com.orgkeys.bootstrap.api;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.InvalidKeyException;
import java.time.Instant;

/**
 * What an authenticator app does with what the server shows at enrollment, independently of the server's code: the
 * base32 secret decoded here, the codes made by java-otp.
 */
public final class AuthenticatorApp {
    private AuthenticatorApp() {
    }

    /** The key of a base32 (RFC 4648) secret, as shown in text. */
    public static SecretKeySpec keyFromSecret(String base32) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : base32.toCharArray()) {
            buffer = (buffer << 5) | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return new SecretKeySpec(out.toByteArray(), "HmacSHA1");
    }

    /** The key in an otpauth URI's {@code secret} parameter, as a QR code carries it. */
    public static SecretKeySpec keyFromUri(String otpauthUri) {
        for (String pair : URI.create(otpauthUri).getRawQuery().split("&")) {
            if (pair.startsWith("secret=")) return keyFromSecret(pair.substring(7));
        }
        throw new AssertionError("no secret in " + otpauthUri);
    }

    /** The 6-digit code at {@code time}. */
    public static String code(SecretKeySpec key, Instant time) {
        try {
            return "%06d".formatted(new TimeBasedOneTimePasswordGenerator().generateOneTimePassword(key, time));
        } catch (InvalidKeyException e) {
            throw new AssertionError(e);
        }
    }
}
