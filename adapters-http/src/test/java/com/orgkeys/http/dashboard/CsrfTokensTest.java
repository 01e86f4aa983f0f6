package com.orgkeys.http.dashboard;

import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.testing.InMemoryServerSecrets;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsrfTokensTest {
    final InMemoryServerSecrets store = new InMemoryServerSecrets();
    final ServerSecretService secrets = node(store);
    final CsrfTokens tokens = new CsrfTokens(secrets);

    /** A server on {@code store}: its secrets as another node on the same database sees them. */
    static ServerSecretService node(InMemoryServerSecrets store) {
        return new ServerSecretService(store, new InMemoryTransactionRunner(new InMemoryStore()),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    static CsrfTokens anotherDeployment() {
        return new CsrfTokens(node(new InMemoryServerSecrets()));
    }

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
    void another_deployment_gives_other_tokens_and_another_node_of_this_one_the_same() {
        assertNotEquals(tokens.tokenFor("session:abc"), anotherDeployment().tokenFor("session:abc"));
        assertFalse(anotherDeployment().matches("session:abc", tokens.tokenFor("session:abc")));

        CsrfTokens otherNode = new CsrfTokens(node(store));
        assertTrue(otherNode.matches("session:abc", tokens.tokenFor("session:abc")));
        assertTrue(tokens.matches("session:abc", otherNode.tokenFor("session:abc")));
        assertTrue(otherNode.issued(tokens.newPreSessionValue()));
        assertEquals(java.util.Optional.of("hello"), otherNode.unseal("flash:s", tokens.seal("flash:s", "hello")));
    }

    @Test
    void what_was_signed_before_a_rotation_verifies_after_it_on_every_node_and_after_a_second_one_nowhere() {
        CsrfTokens otherNode = new CsrfTokens(node(store));
        String before = tokens.tokenFor("session:abc");
        String sealedBefore = tokens.seal("flash:s", "hello");
        String preSessionBefore = tokens.newPreSessionValue();

        secrets.rotateSecrets();
        String after = tokens.tokenFor("session:abc");
        assertNotEquals(before, after, "the new version signs");
        for (CsrfTokens node : new CsrfTokens[]{tokens, otherNode}) {
            assertTrue(node.matches("session:abc", before));
            assertTrue(node.matches("session:abc", after), "the node that has not reloaded yet too");
            assertTrue(node.issued(preSessionBefore));
            assertEquals(java.util.Optional.of("hello"), node.unseal("flash:s", sealedBefore));
        }

        secrets.rotateSecrets();
        for (CsrfTokens node : new CsrfTokens[]{tokens, new CsrfTokens(node(store))}) {
            assertFalse(node.matches("session:abc", before), "its key is deleted");
            assertFalse(node.issued(preSessionBefore));
            assertEquals(java.util.Optional.empty(), node.unseal("flash:s", sealedBefore));
            assertTrue(node.matches("session:abc", after));
        }
    }

    @Test
    void a_token_naming_a_version_that_does_not_exist_or_no_version_does_not_match() {
        String token = tokens.tokenFor("session:abc");
        String mac = token.substring(token.indexOf('.') + 1);
        for (String forged : new String[]{mac, "." + mac, "2." + mac, "0." + mac, "-1." + mac, "+1." + mac,
                "99999999999." + mac, "1.." + mac, "x." + mac, "1." + mac + "x"}) {
            assertFalse(tokens.matches("session:abc", forged), forged);
        }
        assertTrue(tokens.matches("session:abc", "1." + mac));
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
        assertFalse(anotherDeployment().issued(issued), "another deployment's key issued it");
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
