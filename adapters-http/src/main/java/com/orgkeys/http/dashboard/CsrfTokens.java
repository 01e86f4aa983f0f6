package com.orgkeys.http.dashboard;

import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;

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
 * sign-in, of its pre-session cookie) under the server secret every node shares ({@link SecretPurpose#FORMS},
 * kept in the database). A page on another site can neither read the cookie nor the token, so it cannot forge a
 * form post. Tokens change with every sign-in; they name the key version that made them, so a form stays valid
 * on every node, across restarts, and across one rotation of the secret.
 *
 * <p>A token is only ever issued for a value this server issued: a session that authenticates, or a pre-session
 * value signed here ({@link #newPreSessionValue}), so a client cannot choose the value its token is bound to.
 * That alone does not stop login CSRF: an attacker can fetch a genuine pre-session value with its token and
 * plant both in a victim's browser. What stops it is that the planted post must still pass the Origin check
 * ({@code CsrfFilter}), and that on https the cookie's {@code __Host-} name cannot be set by a sibling
 * subdomain or over plain http ({@code Cookies}).
 *
 * <p>Formats: a token is {@code version.mac}; a sealed value {@code base64(payload).version.mac}.
 */
public final class CsrfTokens {
    private static final String PRE_SESSION = "pre-session";
    /** Far above anything sealed here (a cookie is at most 4 KB); bounds the work on hostile input. */
    private static final int MAX_SEALED_LENGTH = 4096;
    /** A version is a positive int: at most 10 digits. */
    private static final int MAX_VERSION_DIGITS = 10;
    private final ReadServerSecretsUseCase secrets;

    public CsrfTokens(ReadServerSecretsUseCase secrets) {
        this.secrets = secrets;
    }

    public String tokenFor(String basis) {
        ServerSecret key = secrets.currentSecret(SecretPurpose.FORMS);
        return key.version() + "." + mac(key, "orgkeys-form:" + basis);
    }

    private static String mac(ServerSecret key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.key(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Whether {@code signature} ({@code version.mac}) is the MAC of {@code message} under that version of the
     * key, while that version still verifies; compared in constant time.
     */
    private boolean verifies(String message, String signature) {
        int dot = signature.indexOf('.');
        if (dot < 1 || dot > MAX_VERSION_DIGITS) return false;
        int version;
        try {
            String digits = signature.substring(0, dot);
            if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            version = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ServerSecret> key = secrets.secret(SecretPurpose.FORMS, version);
        return key.isPresent() && MessageDigest.isEqual(mac(key.get(), message).getBytes(StandardCharsets.US_ASCII),
                signature.substring(dot + 1).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code token} is the one for {@code basis}, compared in constant time. */
    public boolean matches(String basis, String token) {
        if (basis == null || basis.isEmpty() || token == null || token.isEmpty()) return false;
        if (token.length() > MAX_SEALED_LENGTH) return false;
        return verifies("orgkeys-form:" + basis, token);
    }

    /** A fresh pre-session cookie value: random, with this server's signature, so {@link #issued} knows it. */
    public String newPreSessionValue() {
        return seal(PRE_SESSION, randomValue());
    }

    /** Whether {@code value} is a pre-session value this server issued (not one a client made up). */
    public boolean issued(String value) {
        return unseal(PRE_SESSION, value).isPresent();
    }

    /**
     * {@code payload} with a signature for {@code purpose}: readable by anyone who holds it, but neither
     * changeable nor usable for another purpose. For small values the browser keeps for us (cookies).
     */
    public String seal(String purpose, String payload) {
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        ServerSecret key = secrets.currentSecret(SecretPurpose.FORMS);
        return body + "." + key.version() + "." + mac(key, "orgkeys-seal:" + purpose + ":" + body);
    }

    /** The payload of a value {@link #seal}ed for {@code purpose}; empty when the value is forged or altered. */
    public Optional<String> unseal(String purpose, String sealed) {
        if (sealed == null || sealed.length() > MAX_SEALED_LENGTH) return Optional.empty();
        int dot = sealed.indexOf('.');
        if (dot < 1) return Optional.empty();
        String body = sealed.substring(0, dot);
        String signature = sealed.substring(dot + 1);
        if (signature.indexOf('.') != signature.lastIndexOf('.')) return Optional.empty();
        if (!verifies("orgkeys-seal:" + purpose + ":" + body, signature)) return Optional.empty();
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
}
