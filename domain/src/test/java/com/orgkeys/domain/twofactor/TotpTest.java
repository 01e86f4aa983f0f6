package com.orgkeys.domain.twofactor;

import com.orgkeys.domain.account.Email;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpTest {
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B, SHA-1: Unix time and the 8-digit TOTP. */
    private static final List<Object[]> RFC_VECTORS = List.of(
            new Object[]{59L, "94287082"},
            new Object[]{1111111109L, "07081804"},
            new Object[]{1111111111L, "14050471"},
            new Object[]{1234567890L, "89005924"},
            new Object[]{2000000000L, "69279037"},
            new Object[]{20000000000L, "65353130"});

    @Test
    void the_rfc_6238_sha1_vectors_give_their_codes_in_8_digits_and_their_last_6_in_6() {
        for (Object[] vector : RFC_VECTORS) {
            long step = Totp.step(Instant.ofEpochSecond((Long) vector[0]));
            String eight = (String) vector[1];
            assertEquals(eight, Totp.code(RFC_SECRET, step, 8), "t=" + vector[0]);
            assertEquals(eight.substring(2), Totp.code(RFC_SECRET, step), "t=" + vector[0]);
            assertEquals(OptionalLong.of(step),
                    Totp.verify(RFC_SECRET, eight.substring(2), Instant.ofEpochSecond((Long) vector[0])));
        }
    }

    @Test
    void a_code_of_the_step_before_or_after_is_accepted_two_steps_away_is_not() {
        Instant now = Instant.ofEpochSecond(1234567890L);
        long step = Totp.step(now);
        for (int offset = -1; offset <= 1; offset++) {
            assertEquals(OptionalLong.of(step + offset), Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + offset), now),
                    "offset " + offset);
        }
        assertEquals(OptionalLong.empty(), Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), now));
        assertEquals(OptionalLong.empty(), Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), now));
    }

    @Test
    void anything_but_six_digits_is_no_code() {
        Instant now = Instant.ofEpochSecond(59);
        for (String bad : new String[]{null, "", "28708", "2870822", " 287082", "28708a", "２８７０８２"}) {
            assertEquals(OptionalLong.empty(), Totp.verify(RFC_SECRET, bad, now), String.valueOf(bad));
        }
    }

    @Test
    void base32_round_trips_and_matches_rfc_4648() {
        assertEquals("MZXW6YTBOI", Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("MY", Base32.encode("f".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("foobar", new String(Base32.decode("mzxw6ytboi"), StandardCharsets.US_ASCII));
        TotpSecret secret = TotpSecret.generate();
        assertEquals(32, secret.base32().length());
        assertEquals(secret, new TotpSecret(Base32.decode(secret.base32())));
    }

    @Test
    void the_uri_names_the_issuer_the_account_and_the_parameters() {
        TotpSecret secret = new TotpSecret(RFC_SECRET);
        assertEquals("otpauth://totp/orgkeys:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=orgkeys"
                        + "&algorithm=SHA1&digits=6&period=30",
                secret.uri(new Email("ada@example.com")));
        assertFalse(secret.toString().contains("GEZ"));
    }

    @Test
    void recovery_codes_are_ten_different_codes_normalized_before_hashing() {
        List<String> codes = RecoveryCodes.generate();
        assertEquals(10, new HashSet<>(codes).size());
        for (String code : codes) {
            assertTrue(code.matches("[a-z2-7]{5}-[a-z2-7]{5}"), code);
            assertEquals(RecoveryCodes.hash(code), RecoveryCodes.hash(" " + code.toUpperCase().replace("-", " ") + " "));
        }
        assertTrue(RecoveryCodes.hash("abcde-fghi1").isEmpty(), "1 is not base32");
        assertTrue(RecoveryCodes.hash("abcde-fghij".repeat(5)).isEmpty());
        assertTrue(RecoveryCodes.hash(null).isEmpty());
    }
}
