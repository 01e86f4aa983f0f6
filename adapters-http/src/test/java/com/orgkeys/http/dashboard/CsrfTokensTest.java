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
    void a_pre_session_value_is_accepted_only_when_this_server_issued_it() {
        String issued = tokens.newPreSessionValue();
        assertTrue(tokens.issued(issued));
        assertNotEquals(issued, tokens.newPreSessionValue());

        String random = issued.substring(0, issued.indexOf('.'));
        for (String forged : new String[]{"attacker-chosen", random, random + ".", random + ".x", "." + issued,
                issued + "x", issued.substring(0, issued.length() - 1), "", null}) {
            assertFalse(tokens.issued(forged), String.valueOf(forged));
        }
        assertFalse(new CsrfTokens().issued(issued), "another process key issued it");
    }

    @Test
    void a_sealed_value_opens_only_for_its_purpose_and_unchanged() {
        String sealed = tokens.seal("flash:session-a", "Invitation for ada@example.com\nhttps://x/accept?token=t");
        assertEquals(java.util.Optional.of("Invitation for ada@example.com\nhttps://x/accept?token=t"),
                tokens.unseal("flash:session-a", sealed));
        assertEquals(java.util.Optional.empty(), tokens.unseal("flash:session-b", sealed));
        assertEquals(java.util.Optional.empty(), tokens.unseal("flash:session-a", "x" + sealed));
        assertEquals(java.util.Optional.empty(), tokens.unseal("flash:session-a", sealed.replace('.', '!')));
        assertEquals(java.util.Optional.empty(), tokens.unseal("flash:session-a", null));
        // a pre-session value is not a seal of anything, and a form token is not a pre-session value
        assertFalse(tokens.issued(tokens.tokenFor("pre:" + tokens.newPreSessionValue())));
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
