package com.orgkeys.http.dashboard;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Synchronizer tokens for the dashboard's forms: the HMAC-SHA256 of the browser's session cookie (or, before
 * sign-in, of its pre-session cookie) under a key that exists only in this process. A page on another site can
 * neither read the cookie nor the token, so it cannot forge a form post. Tokens change with every sign-in and
 * every restart; a stale form then asks for a reload.
 *
 * <p>A token is only ever issued for a value this server issued: a session that authenticates, or a pre-session
 * value signed here ({@link #newPreSessionValue}), so a client cannot choose the value its token is bound to.
 * That alone does not stop login CSRF: an attacker can fetch a genuine pre-session value with its token and
 * plant both in a victim's browser. What stops it is that the planted post must still pass the Origin check
 * ({@code CsrfFilter}), and that on https the cookie's {@code __Host-} name cannot be set by a sibling
 * subdomain or over plain http ({@code Cookies}).
 */
public final class CsrfTokens {
    private static final String PRE_SESSION = "pre-session";
    /** Far above anything sealed here (a cookie is at most 4 KB); bounds the work on hostile input. */
    private static final int MAX_SEALED_LENGTH = 4096;
    private final byte[] key;

    public CsrfTokens() {
        this(randomKey());
    }

    CsrfTokens(byte[] key) {
        this.key = key.clone();
    }

    public String tokenFor(String basis) {
        return mac("orgkeys-form:" + basis);
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
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

    /** A fresh pre-session cookie value: random, with this process's signature, so {@link #issued} knows it. */
    public String newPreSessionValue() {
        return seal(PRE_SESSION, randomValue());
    }

    /** Whether {@code value} is a pre-session value this process issued (not one a client made up). */
    public boolean issued(String value) {
        return unseal(PRE_SESSION, value).isPresent();
    }

    /**
     * {@code payload} with a signature for {@code purpose}: readable by anyone who holds it, but neither
     * changeable nor usable for another purpose. For small values the browser keeps for us (cookies).
     */
    public String seal(String purpose, String payload) {
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return body + "." + mac("orgkeys-seal:" + purpose + ":" + body);
    }

    /** The payload of a value {@link #seal}ed for {@code purpose}; empty when the value is forged or altered. */
    public Optional<String> unseal(String purpose, String sealed) {
        if (sealed == null || sealed.length() > MAX_SEALED_LENGTH) return Optional.empty();
        int dot = sealed.indexOf('.');
        if (dot < 1 || dot != sealed.lastIndexOf('.')) return Optional.empty();
        String body = sealed.substring(0, dot);
        byte[] expected = mac("orgkeys-seal:" + purpose + ":" + body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sealed.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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
