package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An organization that requires two-factor sign-in (issue 22 part 2), over the JSON API: the admin turns it on only
 * with a second factor of their own; a member without one is refused (403 two-factor-required) everywhere in it but
 * where they can enroll, and gets through once enrolled; the organization's API keys keep working.
 */
class TwoFactorPolicyApiTest {
    private static final String PROBLEM_TYPE = "urn:orgkeys:problem:two-factor-required";

    /**
     * The routes a held-back member may still use: their account, enrolling, signing out, reading who they are,
     * creating, listing, switching, joining and leaving organizations.
     */
    private static final Set<String> OPEN_TO_HELD_BACK = Set.of("POST /api/auth/sign-out", "GET /api/me",
            "PATCH /api/me", "POST /api/me/password", "POST /api/me/email", "POST /api/me/email/confirm",
            "GET /api/sessions", "DELETE /api/sessions/{id}", "POST /api/auth/verify-email",
            "POST /api/auth/verify-email/resend", "GET /api/account/two-factor", "POST /api/account/two-factor/totp",
            "POST /api/account/two-factor/totp/confirm", "POST /api/account/two-factor/totp/disable",
            "POST /api/account/two-factor/recovery-codes", "GET /api/account/passkeys",
            "POST /api/account/passkeys/registration/options", "POST /api/account/passkeys/registration",
            "PATCH /api/account/passkeys/{id}", "DELETE /api/account/passkeys/{id}",
            "POST /api/organizations", "GET /api/organizations",
            "PUT /api/session/active-organization", "POST /api/invitations/accept", "GET /api/whoami",
            // a token of who they are, without the organization's claims (SessionTokenServiceTest)
            "GET /api/session/token",
            // their own account's metadata, as their name and password
            "GET /api/account/metadata", "PATCH /api/account/metadata",
            // leaving (their own id) is open; any other member's id needs the organization (checked below)
            "DELETE /api/members/{userId}");

    /** Bodies for the routes whose handlers check a field before the use case sees the caller ({} elsewhere). */
    private static final Map<String, Object> WELL_FORMED_BODIES = Map.of(
            "PATCH /api/members/{userId}", Map.of("role", "org:member"),
            "DELETE /api/agents", Map.of("agentId", UUID.randomUUID().toString()));

    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void an_admin_requires_two_factor_sign_in_only_with_a_second_factor_of_their_own() {
        Api ada = server.signUp("ada@example.com");
        assertEquals(201, ada.post("/api/organizations", body("name", "Engines")).status());
        assertFalse(ada.get("/api/organization").body().get("twoFactorRequired").asBoolean(), "off by default");

        var refused = ada.patch("/api/organization", body("twoFactorRequired", true));
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.text("detail").contains("/api/account/two-factor/totp"), refused.toString());
        assertFalse(ada.get("/api/organization").body().get("twoFactorRequired").asBoolean(), "nothing changed");

        enroll(ada);
        for (Object notABoolean : List.of("true", 1, List.of(true))) {
            var bad = ada.patch("/api/organization", body("twoFactorRequired", notABoolean));
            assertEquals(422, bad.status(), notABoolean + ": " + bad);
            assertEquals("twoFactorRequired", bad.body().get("errors").get(0).get("field").asText(), bad.toString());
        }
        assertFalse(ada.get("/api/organization").body().get("twoFactorRequired").asBoolean(), "nothing changed");
        var on = ada.patch("/api/organization", body("twoFactorRequired", true));
        assertEquals(200, on.status(), on.toString());
        assertTrue(on.body().get("twoFactorRequired").asBoolean());
        assertEquals(200, ada.get("/api/agents").status(), "the admin, enrolled, works on");
        assertTrue(ada.get("/api/organizations").body().get("data").get(0).get("twoFactorRequired").asBoolean());

        var off = ada.patch("/api/organization", body("twoFactorRequired", false));
        assertEquals(200, off.status(), off.toString());
        assertFalse(off.body().get("twoFactorRequired").asBoolean());
        assertEquals(Set.of("organization.two_factor_required.disabled", "organization.two_factor_required.enabled"),
                Set.copyOf(actions(ada).stream().filter(a -> a.startsWith("organization.two_factor")).toList()));
        assertFalse(actions(ada).contains("organization.updated"), "the name and slug did not change");
    }

    @Test
    void a_member_without_a_second_factor_is_held_back_until_they_enroll_and_api_keys_keep_working() {
        Api ada = server.signUp("ada@example.com");
        ada.post("/api/organizations", body("name", "Engines"));
        Api bob = server.signUp("bob@example.com");
        join(ada, bob, "bob@example.com", "org:member");
        String key = ada.post("/api/api-keys", body("name", "ci")).text("secret");
        assertEquals(200, bob.get("/api/agents").status(), "before the policy");
        enroll(ada);
        assertEquals(200, ada.patch("/api/organization", body("twoFactorRequired", true)).status());

        var held = bob.get("/api/agents");
        assertEquals(403, held.status(), held.toString());
        assertEquals(PROBLEM_TYPE, held.text("type"));
        assertTrue(held.text("detail").contains("POST /api/account/two-factor/totp"), held.toString());
        assertEquals(PROBLEM_TYPE, bob.get("/api/organization").text("type"));
        assertEquals(200, bob.get("/api/me").status());
        assertEquals(200, bob.get("/api/whoami").status());
        assertEquals(200, bob.get("/api/organizations").status());
        assertEquals(200, server.anonymous().withBearer(key).get("/api/agents").status(), "keys are not users");

        var members = ada.get("/api/members");
        assertEquals(200, members.status(), members.toString());
        Map<String, Boolean> twoFactor = new HashMap<>();
        members.body().get("data").forEach(m -> twoFactor.put(m.get("email").asText(), m.get("twoFactorEnabled").asBoolean()));
        assertEquals(Map.of("ada@example.com", true, "bob@example.com", false), twoFactor);

        String page = dashboardPage(ada, "/settings/members");
        assertTrue(page.contains("<th>Two-factor</th>"), page);
        assertTrue(row(page, "ada@example.com").contains("<td data-label=\"Two-factor\" class=\"two-factor\">On</td>"), page);
        assertTrue(row(page, "bob@example.com").contains("<td data-label=\"Two-factor\" class=\"two-factor\">Off</td>"), page);

        var heldPage = dashboard(bob, "/agents");
        assertEquals(303, heldPage.statusCode(), "the dashboard holds him back as well, " + heldPage.body());
        assertEquals("/account/two-factor", heldPage.headers().firstValue("Location").orElse(""),
                "and takes him where he can enroll");
        String guide = dashboardPage(bob, "/account/two-factor");
        assertTrue(guide.contains("Engines requires two-factor sign-in"), guide);

        enroll(bob);
        assertEquals(200, bob.get("/api/agents").status(), "enrolled, Bob gets through on his next request");
        assertEquals(200, dashboard(bob, "/agents").statusCode());
        assertTrue(ada.get("/api/members").body().get("data").findValues("twoFactorEnabled").stream()
                .allMatch(JsonNode::asBoolean));
        assertTrue(actions(ada).contains("organization.two_factor_required.enabled"));
    }

    /**
     * Every route a new engineer adds is covered: the check sits in the caller's organization check, so each API route
     * that acts in the organization refuses a held-back member with the problem type, whatever its handler does; only
     * the listed routes stay open. The route list comes from the router.
     */
    @Test
    void a_held_back_member_is_refused_on_every_route_of_the_organization_and_may_still_leave() {
        Api ada = server.signUp("ada@example.com");
        ada.post("/api/organizations", body("name", "Engines"));
        Api bob = server.signUp("bob@example.com");
        join(ada, bob, "bob@example.com", "org:member");
        enroll(ada);
        assertEquals(200, ada.patch("/api/organization", body("twoFactorRequired", true)).status());

        List<String> wrong = new ArrayList<>();
        for (Route route : server.app.router().routes()) {
            if (!route.pattern().startsWith("/api/") || route.access() == Access.PUBLIC) continue;
            String name = route.method() + " " + route.pattern();
            if (OPEN_TO_HELD_BACK.contains(name) && !name.equals("DELETE /api/members/{userId}")) continue;
            String path = route.pattern().replace("{key}", "org:custom").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            Object body = route.method().equals("GET") ? null : WELL_FORMED_BODIES.getOrDefault(name, Map.of());
            var response = bob.send(route.method(), path, body);
            if (response.status() != 403 || !PROBLEM_TYPE.equals(response.text("type"))) wrong.add(name + " -> " + response);
        }
        assertEquals(List.of(), wrong);

        String bobId = bob.get("/api/me").body().get("user").get("id").asText();
        assertEquals(204, bob.delete("/api/members/" + bobId).status(), "leaving stays open");
        assertEquals(1, ada.get("/api/members").body().get("data").size());
    }

    @Test
    void in_the_dashboard_a_held_back_members_forms_lead_to_the_setup_and_leaving_stays_open() {
        Api ada = server.signUp("ada@example.com");
        ada.post("/api/organizations", body("name", "Engines"));
        Api bob = server.signUp("bob@example.com");
        join(ada, bob, "bob@example.com", "org:member");
        enroll(ada);
        assertEquals(200, ada.patch("/api/organization", body("twoFactorRequired", true)).status());
        String bobId = bob.get("/api/me").body().get("user").get("id").asText();

        var invite = dashboardForm(bob, "/settings/members/invite", "email=eve%40example.com&role=org%3Amember");
        assertEquals(303, invite.statusCode(), invite.body());
        assertEquals("/account/two-factor", invite.headers().firstValue("Location").orElse(""));
        assertEquals(2, ada.get("/api/members").body().get("data").size());
        assertEquals(0, ada.get("/api/invitations").body().get("data").size(), "nothing was written");

        var asked = dashboardForm(bob, "/settings/members/" + bobId + "/remove", "");
        assertEquals(200, asked.statusCode(), "leaving asks first, also for a held-back member");
        assertTrue(asked.body().contains("id=\"confirm-leave\""), asked.body());
        var left = dashboardForm(bob, "/settings/members/" + bobId + "/remove", "confirm=yes");
        assertEquals(303, left.statusCode(), left.body());
        assertEquals("/?notice=left", left.headers().firstValue("Location").orElse(""));
        assertEquals(1, ada.get("/api/members").body().get("data").size(), "leaving stays open");
    }

    /** A dashboard form post as {@code user}, with the form token of a page they may open while held back. */
    private java.net.http.HttpResponse<String> dashboardForm(Api user, String path, String form) {
        var token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(dashboardPage(user, "/account/two-factor"));
        assertTrue(token.find(), "no form token");
        try {
            var request = java.net.http.HttpRequest.newBuilder(URI.create(server.origin() + path))
                    .header("Cookie", "orgkeys_session=" + user.sessionCookie().orElseThrow())
                    .header("Origin", server.origin()).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("_csrf="
                            + java.net.URLEncoder.encode(token.group(1), java.nio.charset.StandardCharsets.UTF_8)
                            + (form.isEmpty() ? "" : "&" + form))).build();
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_member_may_switch_to_another_organization_that_does_not_require_it() {
        Api ada = server.signUp("ada@example.com");
        ada.post("/api/organizations", body("name", "Engines"));
        Api bob = server.signUp("bob@example.com");
        String own = bob.post("/api/organizations", body("name", "Bob's")).text("id");
        join(ada, bob, "bob@example.com", "org:member");
        enroll(ada);
        assertEquals(200, ada.patch("/api/organization", body("twoFactorRequired", true)).status());
        assertEquals(PROBLEM_TYPE, bob.get("/api/agents").text("type"));

        var switched = bob.put("/api/session/active-organization", body("organizationId", own));
        assertEquals(200, switched.status(), switched.toString());
        assertEquals(200, bob.get("/api/agents").status());
        assertNotEquals(PROBLEM_TYPE, bob.get("/api/organization").text("type"));
    }

    /** The members table's row of {@code email}. */
    private static String row(String page, String email) {
        var matcher = java.util.regex.Pattern.compile("(?s)<tr data-email=\"" + java.util.regex.Pattern.quote(email)
                + "\">(.*?)</tr>").matcher(page);
        assertTrue(matcher.find(), "no row of " + email);
        return matcher.group(1);
    }

    private String dashboardPage(Api user, String path) {
        var response = dashboard(user, path);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private java.net.http.HttpResponse<String> dashboard(Api user, String path) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(URI.create(server.origin() + path))
                    .header("Accept", "text/html")
                    .header("Cookie", "orgkeys_session=" + user.sessionCookie().orElseThrow()).build();
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void join(Api admin, Api user, String email, String role) {
        var invitation = admin.post("/api/invitations", body("email", email, "role", role));
        String url = invitation.text("acceptUrl");
        var accepted = user.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6)));
        assertEquals(200, accepted.status(), accepted.toString());
    }

    private static List<String> actions(Api admin) {
        List<String> actions = new ArrayList<>();
        admin.get("/api/audit-events").body().get("data").forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }

    /** Turns on the user's authenticator app with a code computed independently (java-otp). */
    private void enroll(Api user) {
        var started = user.post("/api/account/two-factor/totp", Map.of());
        assertEquals(200, started.status(), started.toString());
        String code = AuthenticatorApp.code(AuthenticatorApp.keyFromUri(started.text("uri")), server.clock.instant());
        var confirmed = user.post("/api/account/two-factor/totp/confirm", body("code", code));
        assertEquals(200, confirmed.status(), confirmed.toString());
        server.clock.advance(Duration.ofSeconds(30));
    }

}
