package com.orgkeys.domain.apikey;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeySecretTest {
    private static final String BODY = "ok_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
    /** CRC32 of BODY in six base62 digits, computed independently (Python's zlib.crc32). */
    private static final String KNOWN = BODY + "3YQ7je";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    public void generated_secrets_match_the_scanner_regex_and_parse_back() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String secret = ApiKeySecret.generate().reveal();
            assertTrue(ApiKeySecret.SCANNER_REGEX.matcher(secret).matches(), secret);
            assertTrue(ApiKeySecret.SCANNER_REGEX.matcher("token=" + secret + ";").find(), secret);
            assertEquals(ApiKeySecret.LENGTH, secret.length());
            assertEquals(Optional.of(secret), ApiKeySecret.parse(secret).map(ApiKeySecret::reveal));
            seen.add(secret);
        }
        assertEquals(200, seen.size());
    }

    @Test
    public void checksum_of_a_known_body_is_stable() {
        assertEquals("3YQ7je", ApiKeySecret.checksum(BODY));
        assertTrue(ApiKeySecret.parse(KNOWN).isPresent());
    }

    @Test
    public void parse_rejects_every_single_character_change() {
        String replacements = ALPHABET + "_-+/=. ";
        for (int i = 0; i < KNOWN.length(); i++) {
            for (char c : replacements.toCharArray()) {
                if (c == KNOWN.charAt(i)) continue;
                String changed = KNOWN.substring(0, i) + c + KNOWN.substring(i + 1);
                assertEquals(Optional.empty(), ApiKeySecret.parse(changed).map(ApiKeySecret::reveal), changed);
            }
        }
    }

    @Test
    public void parse_rejects_truncated_extended_and_missing_input() {
        assertFalse(ApiKeySecret.parse(KNOWN.substring(0, KNOWN.length() - 1)).isPresent());
        assertFalse(ApiKeySecret.parse(KNOWN.substring(1)).isPresent());
        assertFalse(ApiKeySecret.parse(KNOWN + "0").isPresent());
        assertFalse(ApiKeySecret.parse(" " + KNOWN).isPresent());
        assertFalse(ApiKeySecret.parse("").isPresent());
        assertFalse(ApiKeySecret.parse(null).isPresent());
    }

    @Test
    public void hint_shows_the_prefix_and_the_last_four_characters_only() {
        ApiKeySecret secret = ApiKeySecret.parse(KNOWN).orElseThrow();

        assertEquals("ok_…Q7je", secret.hint());
        assertFalse(secret.toString().contains(BODY.substring(3)));
    }

    @Test
    public void hash_is_the_hex_sha256_of_the_secret() {
        assertEquals("eef02a14d7c8fef423f14b8b25a58f3356fe3ca2047b84ea7001b6c4e4e550eb",
                ApiKeySecret.parse(KNOWN).orElseThrow().hash());
    }
}
