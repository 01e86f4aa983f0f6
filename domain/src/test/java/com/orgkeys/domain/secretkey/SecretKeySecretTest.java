package com.orgkeys.domain.secretkey;

import com.orgkeys.domain.apikey.ApiKeySecret;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretKeySecretTest {
    @Test
    void a_secret_has_its_own_marker_and_parses_back() {
        SecretKeySecret secret = SecretKeySecret.generate();
        String text = secret.reveal();
        assertTrue(SecretKeySecret.SCANNER_REGEX.matcher(text).matches(), text);
        assertFalse(text.startsWith("sk_live_") || text.startsWith("sk_test_"));
        assertEquals(secret.hash(), SecretKeySecret.parse(text).orElseThrow().hash());
        assertNotEquals(text, secret.toString());
    }

    @Test
    void a_typo_an_api_key_or_anything_else_does_not_parse() {
        String text = SecretKeySecret.generate().reveal();
        String typo = text.substring(0, 20) + (text.charAt(20) == 'a' ? 'b' : 'a') + text.substring(21);
        assertTrue(SecretKeySecret.parse(typo).isEmpty());
        assertTrue(SecretKeySecret.parse(ApiKeySecret.generate().reveal()).isEmpty());
        assertTrue(SecretKeySecret.parse(text.substring(1)).isEmpty());
        assertTrue(SecretKeySecret.parse(null).isEmpty());
        assertTrue(ApiKeySecret.parse(text).isEmpty(), "a secret key is never an API key");
    }
}
