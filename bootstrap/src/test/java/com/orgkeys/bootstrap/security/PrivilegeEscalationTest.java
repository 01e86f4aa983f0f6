package com.orgkeys.bootstrap.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.bootstrap.api.VerifiedEmailRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 1, replayed on the real server: a member whose role holds only
 * {@code org:sys_memberships:read} and {@code :manage} widens his own role, creates a role that may delete the
 * organization, promotes himself to admin, then demotes and removes the admin. Every step is refused, through
 * the JSON API and through the dashboard's forms, and nothing changes.
 */
class PrivilegeEscalationTest {
    static final List<String> PEOPLE = List.of("org:sys_memberships:read", "org:sys_memberships:manage");
    static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An organization of an admin and Mallory, whose role org:people may only read and manage memberships. */
    record Organization(Api admin, String adminId, Api mallory, String malloryId) {
        static Organization withMembershipManager() {
            Api admin = server.signUp(email("admin"));
            assertEquals(201, admin.post("/api/organizations", body("name", "Target")).status());
            var people = admin.post("/api/roles", body("key", "org:people", "name", "People", "permissions", PEOPLE));
            assertEquals(201, people.status(), people.toString());
            String malloryEmail = email("mallory");
            Api mallory = server.signUp(malloryEmail);
            String url = admin.post("/api/invitations", body("email", malloryEmail, "role", "org:people")).text("acceptUrl");
            var accepted = mallory.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6)));
            assertEquals(200, accepted.status(), accepted.toString());
            return new Organization(admin, id(admin), mallory, id(mallory));
        }

        /** As the admin sees it afterwards: nothing changed, and nothing but the setup was ever recorded. */
        void assertUnchanged() {
            assertEquals("org:admin", admin.get("/api/me").body().get("organizations").get(0).get("role").asText());
            assertEquals("org:people", mallory.get("/api/me").body().get("organizations").get(0).get("role").asText());
            List<String> roles = new ArrayList<>();
            for (JsonNode role : admin.get("/api/roles").body().get("data")) {
                roles.add(role.get("key").asText() + " " + role.get("permissions"));
            }
            assertEquals(List.of("org:admin " + allPermissions(), "org:member "
                    + "[\"org:sys_memberships:read\",\"org:agents:read\",\"org:agents:manage\"]",
                    "org:people [\"org:sys_memberships:read\",\"org:sys_memberships:manage\"]"), roles);
            assertEquals(0, admin.get("/api/invitations").body().get("data").size());
            List<String> actions = new ArrayList<>();
            for (JsonNode event : admin.get("/api/audit-events?pageSize=100").body().get("data")) {
                actions.add(event.get("action").asText());
            }
            assertEquals(List.of("invitation.accepted", "invitation.created", "role.created", "organization.created"),
                    actions);
        }

        private String allPermissions() {
            return admin.get("/api/roles").body().get("data").get(0).get("permissions").toString();
        }
    }

    @Test
    void a_membership_manager_cannot_take_over_the_organization_through_the_api() {
        Organization org = Organization.withMembershipManager();
        Api mallory = org.mallory();

        var widen = mallory.patch("/api/roles/org:people", body("permissions",
                List.of("org:sys_memberships:read", "org:sys_memberships:manage", "org:sys_profile:delete")));
        assertRefused(widen, "org:sys_profile:delete");
        var owner = mallory.post("/api/roles", body("key", "org:owner", "name", "Owner", "permissions",
                List.of("org:sys_memberships:read", "org:sys_memberships:manage", "org:sys_profile:delete")));
        assertRefused(owner, "org:sys_profile:delete");
        assertRefused(mallory.patch("/api/members/" + org.malloryId(), body("role", "org:admin")), "org:admin");
        assertRefused(mallory.patch("/api/members/" + org.adminId(), body("role", "org:people")), "admin");
        assertRefused(mallory.delete("/api/members/" + org.adminId()), "admin");
        // the side doors: an accomplice invited as admin, or with the member role's feature permissions
        assertRefused(mallory.post("/api/invitations", body("email", email("accomplice"), "role", "org:admin")), "org:admin");
        assertRefused(mallory.post("/api/invitations", body("email", email("accomplice"), "role", "org:member")),
                "org:agents:manage");
        assertRefused(mallory.delete("/api/organization"), "org:sys_profile:delete");

        org.assertUnchanged();
    }

    @Test
    void a_membership_manager_cannot_take_over_the_organization_through_the_dashboard() throws Exception {
        Organization org = Organization.withMembershipManager();
        String cookie = "orgkeys_session=" + org.mallory().sessionCookie().orElseThrow();
        String token = formToken(cookie);

        assertEquals(403, postForm("/settings/roles/org:people", cookie, token, "name", "People",
                "permissions", "org:sys_memberships:read", "permissions", "org:sys_memberships:manage",
                "permissions", "org:sys_profile:delete"));
        assertEquals(403, postForm("/settings/roles", cookie, token, "key", "org:owner", "name", "Owner",
                "permissions", "org:sys_profile:delete"));
        // confirmed, as the page that asks before changing one's own role would send it
        assertEquals(403, postForm("/settings/members/" + org.malloryId() + "/role", cookie, token, "role", "org:admin",
                "confirm", "yes"));
        assertEquals(403, postForm("/settings/members/" + org.adminId() + "/role", cookie, token, "role", "org:people"));
        assertEquals(403, postForm("/settings/members/" + org.adminId() + "/remove", cookie, token));
        assertEquals(403, postForm("/settings/members/invite", cookie, token, "email", email("accomplice"), "role", "org:admin"));

        org.assertUnchanged();
    }

    /**
     * Issue 21: Mallory signs up with the address of a customer's CEO, which she cannot read, and waits for an
     * invitation to it. She may make an organization of her own, but joins nothing and makes no key, through the API
     * or the dashboard's forms, and nothing changes.
     */
    @Test
    void someone_signed_up_with_an_address_they_cannot_read_joins_nothing_and_makes_no_key() throws Exception {
        Api admin = server.signUp(email("admin"));
        assertEquals(201, admin.post("/api/organizations", body("name", "Customer")).status());
        String ceo = email("ceo");
        Api mallory = server.signUpUnverified(ceo);
        assertEquals(201, mallory.post("/api/organizations", body("name", "Mallory's")).status());
        String url = admin.post("/api/invitations", body("email", ceo, "role", "org:admin")).text("acceptUrl");
        String invitation = url.substring(url.indexOf("token=") + 6);

        for (var refused : List.of(mallory.post("/api/invitations/accept", body("token", invitation)),
                mallory.post("/api/api-keys", body("name", "k")))) {
            assertRefused(refused, "Verify your email address " + ceo);
            assertEquals(VerifiedEmailRoutes.PROBLEM_TYPE, refused.text("type"), refused.toString());
        }
        String cookie = "orgkeys_session=" + mallory.sessionCookie().orElseThrow();
        String token = formToken(cookie);
        assertEquals(403, postForm("/invitations/accept", cookie, token, "token", invitation));
        assertEquals(403, postForm("/settings/api-keys", cookie, token, "nonce", "n-1", "name", "k"));

        assertEquals(1, admin.get("/api/members").body().get("data").size());
        assertEquals(1, admin.get("/api/invitations").body().get("data").size(), "the invitation still pending");
        assertEquals(0, mallory.get("/api/api-keys").body().get("totalCount").asInt());
        var organizations = mallory.get("/api/me").body().get("organizations");
        assertEquals(1, organizations.size(), organizations.toString());
        assertEquals("Mallory's", organizations.get(0).get("name").asText());
    }

    static void assertRefused(Api.Response response, String named) {
        assertEquals(403, response.status(), response.toString());
        assertEquals("application/problem+json", response.header("Content-Type"));
        assertTrue(response.text("detail").contains(named), response.toString());
    }

    static String email(String who) {
        return who + "-" + UUID.randomUUID() + "@example.com";
    }

    static String id(Api user) {
        return user.get("/api/me").body().get("user").get("id").asText();
    }

    static String formToken(String cookie) throws Exception {
        var page = http.send(HttpRequest.newBuilder(URI.create(server.origin() + "/settings/members"))
                .header("Cookie", cookie).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        Matcher m = FORM_TOKEN.matcher(page.body());
        assertTrue(m.find(), "no form token in the members page");
        return m.group(1);
    }

    /** A dashboard form post as the browser sends it; {@code fields}: name, value, name, value... */
    static int postForm(String path, String cookie, String token, String... fields) throws Exception {
        StringBuilder form = new StringBuilder("_csrf=").append(enc(token));
        for (int i = 0; i < fields.length; i += 2) form.append('&').append(enc(fields[i])).append('=').append(enc(fields[i + 1]));
        var response = http.send(HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
