package com.orgkeys.domain.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Standard Webhooks signature: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body} under each
 * secret, space-separated (two while a rotation overlaps). Receivers accept the message when any one matches.
 */
public final class WebhookSignature {
    private WebhookSignature() {
    }

    /** {@code timestamp} in whole seconds since the epoch, as sent in {@code webhook-timestamp}. */
    public static String sign(List<WebhookSecret> secrets, String messageId, long timestamp, String body) {
        if (secrets.isEmpty()) throw new IllegalArgumentException("at least one secret");
        byte[] signed = (messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        return secrets.stream().map(secret -> "v1," + Base64.getEncoder().encodeToString(hmac(secret.key(), signed)))
                .collect(Collectors.joining(" "));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
