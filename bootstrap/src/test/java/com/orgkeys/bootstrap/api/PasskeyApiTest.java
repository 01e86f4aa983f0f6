package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orgkeys.application.account.service.SharedAccountThrottle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passkeys over the JSON API, with a passkey made apart from the server's WebAuthn library ({@link SoftwarePasskey}):
 * registration, the passkey as the second factor and alone, replays, a cloned authenticator, rename and removal, and
 * the organization policy. Every answer is checked against the OpenAPI document.
 */
class PasskeyApiTest {
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct horse battery " + EMAIL; // as TestServer.signUp chooses it

    private final TestServer server = TestServer.start();
    private final SoftwarePasskey passkey = new SoftwarePasskey(server.app.origin().toString());

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode register(Api user, SoftwarePasskey authenticator, String name) {
        var options = user.post("/api/account/passkeys/registration/options", null);
        assertEquals(200, options.status(), options.toString());
        var created = user.post("/api/account/passkeys/registration", body("ceremonyId", options.text("ceremonyId"),
                "name", name, "credential", authenticator.create(options.body().get("publicKey"))));
        assertEquals(201, created.status(), created.toString());
        return created.body();
    }

    private Api.Response passwordless(Api browser, SoftwarePasskey authenticator) {
        var options = browser.post("/api/auth/sign-in/passkey/options", null);
        assertEquals(200, options.status(), options.toString());
        return browser.post("/api/auth/sign-in/passkey", body("ceremonyId", options.text("ceremonyId"),
                "credential", authenticator.get(options.body().get("publicKey"))));
    }

    @Test
    void a_registered_passkey_is_listed_and_reported_with_the_two_factor_status() {
        Api ada = server.signUp(EMAIL);
        var options = ada.post("/api/account/passkeys/registration/options", null);
        JsonNode publicKey = options.body().get("publicKey");
        assertEquals("localhost", publicKey.get("rp").get("id").asText(), "the host of the public origin");
        assertEquals("required", publicKey.get("authenticatorSelection").get("residentKey").asText());
        assertEquals("required", publicKey.get("authenticatorSelection").get("userVerification").asText());

        JsonNode created = register(ada, passkey, "laptop");
        assertEquals("laptop", created.get("name").asText());
        assertTrue(created.get("lastUsedAt").isNull());
        assertEquals(10, created.get("recoveryCodes").size(), "the account's first second factor");
        assertEquals(((ObjectNode) created.deepCopy()).without("recoveryCodes"),
                ada.get("/api/account/passkeys").body().get("data").get(0));
        JsonNode status = ada.get("/api/account/two-factor").body();
        assertFalse(status.get("enabled").asBoolean(), "the authenticator app is a separate factor");
        assertEquals(created.get("id"), status.get("passkeys").get(0).get("id"));

        var again = ada.post("/api/account/passkeys/registration/options", null).body();
        assertEquals(passkey.credentialId(), again.get("publicKey").get("excludeCredentials").get(0).get("id").asText());
    }

    @Test
    void an_answer_to_other_options_or_from_another_origin_is_refused_and_nothing_is_stored() {
        Api ada = server.signUp(EMAIL);
        var first = ada.post("/api/account/passkeys/registration/options", null);
        var second = ada.post("/api/account/passkeys/registration/options", null);
        var crossed = ada.post("/api/account/passkeys/registration", body("ceremonyId", second.text("ceremonyId"),
                "name", "laptop", "credential", passkey.create(first.body().get("publicKey"))));
        assertEquals(422, crossed.status(), crossed.toString());
        assertEquals("credential", crossed.body().get("errors").get(0).get("field").asText());

        var third = ada.post("/api/account/passkeys/registration/options", null);
        SoftwarePasskey phishing = new SoftwarePasskey("https://orgkeys.example.net");
        var elsewhere = ada.post("/api/account/passkeys/registration", body("ceremonyId", third.text("ceremonyId"),
                "name", "laptop", "credential", phishing.create(third.body().get("publicKey"))));
        assertEquals(422, elsewhere.status(), elsewhere.toString());
        var spent = ada.post("/api/account/passkeys/registration", body("ceremonyId", second.text("ceremonyId"),
                "name", "laptop", "credential", passkey.create(second.body().get("publicKey"))));
        assertEquals(422, spent.status(), "a ceremony is used up whatever its answer: " + spent);
        assertEquals(0, ada.get("/api/account/passkeys").body().get("data").size());
    }

    @Test
    void a_passkey_signs_in_alone_and_its_answer_counts_once_even_in_parallel() throws Exception {
        Api ada = server.signUp(EMAIL);
        register(ada, passkey, "laptop");

        Api browser = server.anonymous();
        var signedIn = passwordless(browser, passkey);
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertEquals(EMAIL, signedIn.body().get("user").get("email").asText());
        assertEquals(200, browser.get("/api/me").status(), "the cookie is a session");
        assertFalse(ada.get("/api/account/passkeys").body().get("data").get(0).get("lastUsedAt").isNull());

        var options = server.anonymous().post("/api/auth/sign-in/passkey/options", null);
        ObjectNode answer = passkey.get(options.body().get("publicKey"));
        int tries = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(tries)) {
            for (int i = 0; i < tries; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return server.anonymous().post("/api/auth/sign-in/passkey",
                            body("ceremonyId", options.text("ceremonyId"), "credential", answer)).status();
                }));
            }
            start.countDown();
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> status : statuses) seen.add(status.get());
            assertEquals(1, seen.stream().filter(s -> s == 200).count(), seen.toString());
            assertTrue(seen.stream().allMatch(s -> s == 200 || s == 401), seen.toString());
        }
    }

    @Test
    void a_cloned_authenticator_whose_counter_went_back_is_refused() {
        Api ada = server.signUp(EMAIL);
        register(ada, passkey, "laptop");
        assertEquals(200, passwordless(server.anonymous(), passkey).status());
        assertEquals(200, passwordless(server.anonymous(), passkey).status());
        passkey.counter = 0; // the clone answers with the counter of the copied key: 1 again
        var cloned = passwordless(server.anonymous(), passkey);
        assertEquals(401, cloned.status(), cloned.toString());
    }

    @Test
    void after_the_password_the_passkey_is_the_second_factor() {
        Api ada = server.signUp(EMAIL);
        register(ada, passkey, "laptop");

        Api browser = server.anonymous();
        var pending = browser.post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD));
        assertEquals(202, pending.status(), pending.toString());
        assertEquals("[\"recovery_code\",\"passkey\"]", pending.body().get("factors").toString());
        String token = pending.text("signInToken");

        Api other = server.signUp("bob@example.com");
        SoftwarePasskey bobs = new SoftwarePasskey(server.app.origin().toString());
        register(other, bobs, "bob's");
        var options = browser.post("/api/auth/sign-in/second-factor/passkey/options", body("signInToken", token));
        assertEquals(200, options.status(), options.toString());
        assertEquals(passkey.credentialId(),
                options.body().get("publicKey").get("allowCredentials").get(0).get("id").asText(), "Ada's only");
        var withBobs = browser.post("/api/auth/sign-in/second-factor/passkey", body("signInToken", token,
                "ceremonyId", options.text("ceremonyId"), "credential", bobs.get(options.body().get("publicKey"))));
        assertEquals(401, withBobs.status(), withBobs.toString());

        var fresh = browser.post("/api/auth/sign-in/second-factor/passkey/options", body("signInToken", token));
        var signedIn = browser.post("/api/auth/sign-in/second-factor/passkey", body("signInToken", token,
                "ceremonyId", fresh.text("ceremonyId"), "credential", passkey.get(fresh.body().get("publicKey"))));
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertEquals(200, browser.get("/api/me").status());
        var used = browser.post("/api/auth/sign-in/second-factor/passkey/options", body("signInToken", token));
        assertEquals(401, used.status(), "the sign-in token is used: " + used);
    }

    @Test
    void a_passkey_only_account_signs_in_with_a_recovery_code_and_loses_the_codes_with_its_last_passkey() {
        Api ada = server.signUp(EMAIL);
        JsonNode first = register(ada, passkey, "laptop");
        assertFalse(register(ada, new SoftwarePasskey(server.app.origin().toString()), "phone").has("recoveryCodes"),
                "codes come with the first factor only");
        String code = first.get("recoveryCodes").get(0).asText();

        Api browser = server.anonymous();
        String token = browser.post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD)).text("signInToken");
        var signedIn = browser.post("/api/auth/sign-in/second-factor", body("signInToken", token, "recoveryCode", code));
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertEquals(9, ada.get("/api/account/two-factor").body().get("recoveryCodesLeft").asInt());
        var fresh = ada.post("/api/account/two-factor/recovery-codes", body("currentPassword", PASSWORD));
        assertEquals(200, fresh.status(), fresh.toString());
        assertEquals(10, fresh.body().get("recoveryCodes").size());

        for (JsonNode p : ada.get("/api/account/passkeys").body().get("data")) {
            assertEquals(204, ada.delete("/api/account/passkeys/" + p.get("id").asText(),
                    body("currentPassword", PASSWORD)).status());
        }
        assertEquals(0, ada.get("/api/account/two-factor").body().get("recoveryCodesLeft").asInt());
        assertEquals(200, server.anonymous().post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD))
                .status(), "two-factor sign-in is off");
    }

    @Test
    void one_address_starts_a_bounded_number_of_anonymous_ceremonies_then_429() {
        Api browser = server.anonymous();
        for (int i = 0; i < SharedAccountThrottle.CEREMONIES_PER_ADDRESS; i++) {
            var options = browser.post("/api/auth/sign-in/passkey/options", null);
            assertEquals(200, options.status(), options.toString());
        }
        var refused = browser.post("/api/auth/sign-in/passkey/options", null);
        assertEquals(429, refused.status(), refused.toString());
        assertTrue(refused.header("Content-Type").startsWith("application/problem+json"), refused.toString());
        assertTrue(Long.parseLong(refused.header("Retry-After")) > 0);
    }

    @Test
    void a_passkey_is_renamed_and_removed_with_the_password_and_then_the_password_suffices() {
        Api ada = server.signUp(EMAIL);
        String id = register(ada, passkey, "laptop").get("id").asText();

        var renamed = ada.patch("/api/account/passkeys/" + id, body("name", "work laptop"));
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("work laptop", renamed.text("name"));
        var badName = ada.patch("/api/account/passkeys/" + id, body("name", "x".repeat(61)));
        assertEquals(422, badName.status(), badName.toString());
        Api bob = server.signUp("bob@example.com");
        assertEquals(404, bob.patch("/api/account/passkeys/" + id, body("name", "mine")).status());
        assertEquals(404, bob.delete("/api/account/passkeys/" + id,
                body("currentPassword", "correct horse battery bob@example.com")).status());

        var wrong = ada.delete("/api/account/passkeys/" + id, body("currentPassword", "not the password"));
        assertEquals(422, wrong.status(), wrong.toString());
        assertEquals("currentPassword", wrong.body().get("errors").get(0).get("field").asText());
        assertEquals(202, server.anonymous().post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD)).status());
        assertEquals(204, ada.delete("/api/account/passkeys/" + id, body("currentPassword", PASSWORD)).status());
        assertEquals(0, ada.get("/api/account/passkeys").body().get("data").size());
        assertEquals(200, server.anonymous().post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD)).status());
        assertEquals(401, passwordless(server.anonymous(), passkey).status(), "the removed passkey signs nobody in");
    }

    @Test
    void a_passkey_satisfies_the_organizations_two_factor_requirement() {
        Api ada = server.signUp(EMAIL);
        assertEquals(201, ada.post("/api/organizations", body("name", "Engines")).status());
        assertEquals(409, ada.patch("/api/organization", body("twoFactorRequired", true)).status());
        register(ada, passkey, "laptop");
        assertEquals(200, ada.patch("/api/organization", body("twoFactorRequired", true)).status());
        assertEquals(200, ada.get("/api/agents").status());
        assertTrue(ada.get("/api/members").body().get("data").get(0).get("twoFactorEnabled").asBoolean());

        Api browser = server.anonymous();
        assertEquals(200, passwordless(browser, passkey).status());
        assertEquals(200, browser.get("/api/agents").status(), "a passkey sign-in is a two-factor sign-in");
        List<String> actions = new ArrayList<>();
        ada.get("/api/audit-events").body().get("data").forEach(e -> actions.add(e.get("action").asText()));
        assertTrue(actions.contains("user.two_factor.passkey_added"), actions.toString());
    }
}
