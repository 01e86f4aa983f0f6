package com.orgkeys.http.dashboard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsrfTokensTest {
    final CsrfTokens tokens = new CsrfTokens();

    @Test
    void the_token_for_a_session_matches_only_that_session() {
        String token = tokens.tokenFor("session:abc");
        assertTrue(tokens.matches("session:abc", token));
        assertFalse(tokens.matches("session:abd", token));
        assertNotEquals(token, tokens.tokenFor("session:abd"));
    }

    @Test
    void missing_empty_or_forged_tokens_do_not_match() {
        assertFalse(tokens.matches("session:abc", null));
        assertFalse(tokens.matches("session:abc", ""));
        assertFalse(tokens.matches("session:abc", "forged"));
        assertFalse(tokens.matches("", tokens.tokenFor("")));
        assertFalse(tokens.matches(null, "x"));
    }

    @Test
    void another_process_key_gives_other_tokens() {
        assertNotEquals(tokens.tokenFor("session:abc"), new CsrfTokens().tokenFor("session:abc"));
        byte[] key = new byte[32];
        assertEquals(new CsrfTokens(key).tokenFor("x"), new CsrfTokens(key).tokenFor("x"));
    }

    @Test
    void next_accepts_only_local_paths() {
        assertEquals("/invitations/accept?token=a", Pages.safeNext("/invitations/accept?token=a", "/"));
        for (String bad : new String[]{"https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)",
                "evil", "", null, "/a b", "/\tx"}) {
            assertEquals("/", Pages.safeNext(bad, "/"), String.valueOf(bad));
        }
    }
}
