package com.orgkeys.http.dashboard;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Synchronizer tokens for the dashboard's forms: the HMAC-SHA256 of the browser's session cookie (or, before
 * sign-in, of its pre-session cookie) under a key that exists only in this process. A page on another site can
 * neither read the cookie nor the token, so it cannot forge a form post. Tokens change with every sign-in and
 * every restart; a stale form then asks for a reload.
 */
public final class CsrfTokens {
    private final byte[] key;

    public CsrfTokens() {
        this(randomKey());
    }

    CsrfTokens(byte[] key) {
        this.key = key.clone();
    }

    public String tokenFor(String basis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(("orgkeys-form:" + basis).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code token} is the one for {@code basis}, compared in constant time. */
    public boolean matches(String basis, String token) {
        if (basis == null || basis.isEmpty() || token == null || token.isEmpty()) return false;
        return MessageDigest.isEqual(tokenFor(basis).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8));
    }

    static String randomValue() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
