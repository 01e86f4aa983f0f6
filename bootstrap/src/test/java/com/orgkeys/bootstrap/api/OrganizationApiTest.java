package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrganizationApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String email() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String createOrganization(Api api, String name) {
        var response = api.post("/api/organizations", body("name", name));
        assertEquals(201, response.status(), response.toString());
        return response.text("id");
    }

    static String userId(Api api) {
        return api.get("/api/me").body().get("user").get("id").asText();
    }

    /** Invites {@code email} into the caller's active organization and has {@code invitee} accept. */
    static void invite(Api admin, Api invitee, String email, String role) {
        var invitation = admin.post("/api/invitations", body("email", email, "role", role));
        assertEquals(201, invitation.status(), invitation.toString());
        String url = invitation.text("acceptUrl");
        String token = url.substring(url.indexOf("token=") + 6);
        var accepted = invitee.post("/api/invitations/accept", body("token", token));
        assertEquals(200, accepted.status(), accepted.toString());
    }

    @Test
    void creating_organizations_makes_the_creator_admin_and_switches_to_the_new_one() {
        Api ada = server.signUp(email());
        var created = ada.post("/api/organizations", body("name", "Acme, Inc."));
        assertEquals(201, created.status());
        assertTrue(created.text("slug").startsWith("acme-inc"), created.toString());
        String first = created.text("id");
        String second = createOrganization(ada, "Globex");

        var me = ada.get("/api/me").body();
        assertEquals(second, me.get("activeOrganizationId").asText());
        assertEquals(2, me.get("organizations").size());
        me.get("organizations").forEach(o -> {
            assertEquals("org:admin", o.get("role").asText());
            assertEquals(com.orgkeys.domain.membership.Permission.ALL.size(), o.get("permissions").size());
        });
        assertEquals(2, ada.get("/api/organizations").body().get("data").size());

        var switched = ada.put("/api/session/active-organization", body("organizationId", first));
        assertEquals(200, switched.status(), switched.toString());
        assertEquals("Acme, Inc.", ada.get("/api/organization").text("name"));
    }

    @Test
    void organization_fields_are_validated_and_slugs_are_unique() {
        Api ada = server.signUp(email());
        var invalid = ada.post("/api/organizations", body("name", "", "slug", "No Spaces!"));
        assertEquals(422, invalid.status());
        assertEquals(2, invalid.body().get("errors").size());
        String slug = "slug-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, ada.post("/api/organizations", body("name", "One", "slug", slug)).status());
        assertEquals(409, ada.post("/api/organizations", body("name", "Two", "slug", slug)).status());

        var renamed = ada.patch("/api/organization", body("name", "One renamed"));
        assertEquals(200, renamed.status());
        assertEquals("One renamed", renamed.text("name"));
        assertEquals(slug, renamed.text("slug"));
    }

    @Test
    void switching_to_an_organization_one_is_not_a_member_of_is_404() {
        Api ada = server.signUp(email());
        Api bob = server.signUp(email());
        String bobs = createOrganization(bob, "Bob's");
        createOrganization(ada, "Ada's");
        assertEquals(404, ada.put("/api/session/active-organization", body("organizationId", bobs)).status());
        assertEquals(404, ada.put("/api/session/active-organization", body("organizationId", "not-a-uuid")).status());
    }

    @Test
    void invited_user_joins_with_the_role_and_admin_can_change_it() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Team");
        String memberEmail = email();
        Api member = server.signUp(memberEmail);
        invite(admin, member, memberEmail, "org:member");

        var me = member.get("/api/me").body();
        assertEquals(1, me.get("organizations").size());
        assertEquals("org:member", me.get("organizations").get(0).get("role").asText());
        assertEquals(me.get("organizations").get(0).get("id").asText(), me.get("activeOrganizationId").asText());

        var members = admin.get("/api/members");
        assertEquals(200, members.status());
        assertEquals(2, members.body().get("totalCount").asInt());

        String memberId = userId(member);
        var changed = admin.patch("/api/members/" + memberId, body("role", "org:admin"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("org:admin", changed.text("role"));
        assertEquals(422, admin.patch("/api/members/" + memberId, body("role", "org:nonexistent")).status());
    }

    @Test
    void plain_member_gets_403_naming_the_permission_on_member_management() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Team");
        String memberEmail = email();
        Api member = server.signUp(memberEmail);
        invite(admin, member, memberEmail, "org:member");

        assertEquals(200, member.get("/api/members").status(), "members may read the member list");
        var forbidden = member.patch("/api/members/" + userId(admin), body("role", "org:member"));
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.text("detail").contains("org:sys_memberships:manage"), forbidden.toString());
        assertEquals(403, member.post("/api/invitations", body("email", email(), "role", "org:member")).status());
        assertEquals(403, member.delete("/api/members/" + userId(admin)).status());
        assertEquals(403, member.patch("/api/organization", body("name", "hijacked")).status());
        assertEquals(403, member.delete("/api/organization").status());
        assertEquals(403, member.get("/api/audit-events").status());
        // but a member may always leave
        assertEquals(204, member.delete("/api/members/" + userId(member)).status());
        assertEquals(0, member.get("/api/me").body().get("organizations").size());
    }

    @Test
    void objects_of_another_organization_are_404_never_403() {
        Api adminA = server.signUp(email());
        createOrganization(adminA, "A");
        Api adminB = server.signUp(email());
        createOrganization(adminB, "B");
        String memberOfB = email();
        Api userOfB = server.signUp(memberOfB);
        invite(adminB, userOfB, memberOfB, "org:member");
        var invitationOfB = adminB.post("/api/invitations", body("email", email(), "role", "org:member"));
        assertEquals(201, invitationOfB.status());
        assertEquals(201, adminB.post("/api/roles", body("key", "org:billing", "name", "Billing", "permissions", List.of())).status());

        String bMemberId = userId(userOfB);
        assertEquals(404, adminA.patch("/api/members/" + bMemberId, body("role", "org:admin")).status());
        assertEquals(404, adminA.delete("/api/members/" + bMemberId).status());
        assertEquals(404, adminA.delete("/api/invitations/" + invitationOfB.text("id")).status());
        assertEquals(404, adminA.patch("/api/roles/org:billing", body("name", "x")).status());
        assertEquals(404, adminA.delete("/api/roles/org:billing").status());
        assertEquals(1, adminA.get("/api/members").body().get("totalCount").asInt());
        // and nothing of B changed
        assertEquals(2, adminB.get("/api/members").body().get("totalCount").asInt());
        assertEquals(1, adminB.get("/api/invitations").body().get("data").size());
    }

    @Test
    void the_last_admin_can_neither_be_demoted_nor_removed() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Solo");
        String id = userId(admin);
        var demote = admin.patch("/api/members/" + id, body("role", "org:member"));
        assertEquals(409, demote.status());
        assertTrue(demote.text("detail").contains("at least one admin"));
        assertEquals(409, admin.delete("/api/members/" + id).status());
    }

    @Test
    void two_admins_demoting_each_other_at_once_leave_one_admin() throws Exception {
        for (int round = 0; round < 5; round++) {
            Api first = server.signUp(email());
            createOrganization(first, "Race " + round);
            String secondEmail = email();
            Api second = server.signUp(secondEmail);
            invite(first, second, secondEmail, "org:admin");
            String firstId = userId(first);
            String secondId = userId(second);

            List<Callable<Integer>> demotions = List.of(
                    () -> first.patch("/api/members/" + secondId, body("role", "org:member")).status(),
                    () -> second.patch("/api/members/" + firstId, body("role", "org:member")).status());
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (Future<Integer> f : pool.invokeAll(demotions)) statuses.add(f.get());
            }
            statuses.sort(null);
            // the second demotion sees the first: either it is refused (409), or its caller was already demoted (403)
            assertEquals(200, statuses.get(0), statuses.toString());
            assertTrue(statuses.get(1) == 409 || statuses.get(1) == 403, statuses.toString());
            long admins = 0;
            for (var m : first.get("/api/members").body().get("data")) {
                if (m.get("role").asText().equals("org:admin")) admins++;
            }
            if (admins == 0) {
                for (var m : second.get("/api/members").body().get("data")) {
                    if (m.get("role").asText().equals("org:admin")) admins++;
                }
            }
            assertEquals(1, admins);
        }
    }

    @Test
    void invitations_are_used_up_and_checked_against_the_email() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Team");
        String invitedEmail = email();
        var invitation = admin.post("/api/invitations", body("email", invitedEmail, "role", "org:member"));
        assertEquals(201, invitation.status());
        assertTrue(invitation.text("acceptUrl").startsWith(server.app.origin() + "/invitations/accept?token="), invitation.toString());
        String token = invitation.text("acceptUrl").substring(invitation.text("acceptUrl").indexOf("token=") + 6);
        assertEquals(409, admin.post("/api/invitations", body("email", invitedEmail, "role", "org:member")).status());

        Api stranger = server.signUp(email());
        var wrongUser = stranger.post("/api/invitations/accept", body("token", token));
        assertEquals(403, wrongUser.status());
        assertEquals(404, stranger.post("/api/invitations/accept", body("token", "made-up")).status());

        Api invited = server.signUp(invitedEmail);
        assertEquals(200, invited.post("/api/invitations/accept", body("token", token)).status());
        var again = invited.post("/api/invitations/accept", body("token", token));
        assertEquals(409, again.status());
        assertTrue(again.text("detail").contains("already used"), again.toString());
        assertEquals(0, admin.get("/api/invitations").body().get("data").size());
    }

    @Test
    void the_invited_person_joins_through_the_link_in_the_invitation_mail() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Mailed Team");
        String invitedEmail = email();
        var invitation = admin.post("/api/invitations", body("email", invitedEmail, "role", "org:member"));
        assertEquals(201, invitation.status(), invitation.toString());

        // sent by the outbox worker, after the request
        var mails = server.mailer.awaitInvitations(mail -> mail.to().value().equals(invitedEmail), Duration.ofSeconds(20));
        assertEquals(1, mails.size(), mails.toString());
        assertEquals("Mailed Team", mails.get(0).organizationName());
        String link = mails.get(0).acceptUrl();
        assertEquals(invitation.text("acceptUrl"), link);
        Api invited = server.signUp(invitedEmail);
        var accepted = invited.post("/api/invitations/accept", body("token", link.substring(link.indexOf("token=") + 6)));
        assertEquals(200, accepted.status(), accepted.toString());
    }

    @Test
    void revoked_invitation_cannot_be_accepted() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Team");
        String invitedEmail = email();
        var invitation = admin.post("/api/invitations", body("email", invitedEmail, "role", "org:member"));
        String token = invitation.text("acceptUrl").substring(invitation.text("acceptUrl").indexOf("token=") + 6);
        assertEquals(204, admin.delete("/api/invitations/" + invitation.text("id")).status());
        var accept = server.signUp(invitedEmail).post("/api/invitations/accept", body("token", token));
        assertEquals(409, accept.status());
        assertTrue(accept.text("detail").contains("revoked"));
    }

    @Test
    void custom_roles_grant_their_permissions_and_cannot_be_deleted_while_in_use() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Team");
        var roles = admin.get("/api/roles");
        assertEquals(2, roles.body().get("data").size());
        var created = admin.post("/api/roles", body("key", "org:auditor", "name", "Auditor",
                "permissions", List.of("org:sys_memberships:read", "org:sys_api_keys:read")));
        assertEquals(201, created.status(), created.toString());
        assertEquals(409, admin.post("/api/roles", body("key", "org:auditor", "name", "Again", "permissions", List.of())).status());
        assertEquals(422, admin.post("/api/roles", body("key", "org:x", "name", "X", "permissions", List.of("org:nope:read"))).status());
        assertEquals(409, admin.patch("/api/roles/org:admin", body("name", "Boss")).status());

        String auditorEmail = email();
        Api auditor = server.signUp(auditorEmail);
        invite(admin, auditor, auditorEmail, "org:auditor");
        var permissions = auditor.get("/api/me").body().get("organizations").get(0).get("permissions");
        assertEquals(2, permissions.size());
        assertEquals(403, auditor.post("/api/invitations", body("email", email(), "role", "org:member")).status());

        assertEquals(409, admin.delete("/api/roles/org:auditor").status());
        var updated = admin.patch("/api/roles/org:auditor", body("permissions", List.of("org:sys_memberships:read", "org:sys_memberships:manage")));
        assertEquals(200, updated.status());
        // invites at a role they hold all of: org:member's agents permissions are not theirs to give
        assertEquals(201, auditor.post("/api/invitations", body("email", email(), "role", "org:auditor")).status(),
                "a role change takes effect on the next request");
        assertEquals(200, admin.patch("/api/members/" + userId(auditor), body("role", "org:member")).status());
        assertEquals(204, admin.delete("/api/roles/org:auditor").status());
    }

    @Test
    void changes_are_in_the_audit_log_newest_first() {
        Api admin = server.signUp(email());
        createOrganization(admin, "Audited");
        admin.patch("/api/organization", body("name", "Audited 2"));
        admin.post("/api/invitations", body("email", email(), "role", "org:member"));
        var events = admin.get("/api/audit-events?pageSize=2");
        assertEquals(200, events.status());
        assertEquals(3, events.body().get("totalCount").asInt());
        assertEquals(2, events.body().get("data").size());
        assertEquals("invitation.created", events.body().get("data").get(0).get("action").asText());
        assertTrue(events.body().get("data").get(0).get("actor").asText().startsWith("user:"));
        assertEquals("127.0.0.1", events.body().get("data").get(0).get("clientAddress").asText());
        assertEquals(422, admin.get("/api/audit-events?pageSize=101").status());
        assertEquals(422, admin.get("/api/audit-events?initialPage=abc").status());
    }

    @Test
    void deleting_the_organization_removes_it_for_every_member() {
        Api admin = server.signUp(email());
        String org = createOrganization(admin, "Doomed");
        String memberEmail = email();
        Api member = server.signUp(memberEmail);
        invite(admin, member, memberEmail, "org:member");
        assertEquals(204, admin.delete("/api/organization").status());
        assertEquals(0, admin.get("/api/me").body().get("organizations").size());
        assertEquals(0, member.get("/api/me").body().get("organizations").size());
        assertEquals(404, admin.put("/api/session/active-organization", body("organizationId", org)).status());
        assertEquals(403, admin.get("/api/members").status(), "no active organization any more");
    }

    @Test
    void cookie_requests_from_another_origin_are_refused_and_change_nothing() {
        Api ada = server.signUp(email());
        createOrganization(ada, "Original");
        var evil = ada.fromOrigin("https://evil.example");
        var refused = evil.patch("/api/organization", body("name", "Pwned"));
        assertEquals(403, refused.status());
        assertTrue(refused.text("detail").contains("Cross-site"));
        var noOrigin = ada.fromOrigin(null).post("/api/organizations", body("name", "Sneaky"));
        assertEquals(403, noOrigin.status());
        assertEquals("Original", ada.get("/api/organization").text("name"));
        assertEquals(1, ada.get("/api/organizations").body().get("data").size());
        assertNotEquals(403, ada.patch("/api/organization", body("name", "Renamed")).status());
    }

    @Test
    void api_responses_never_contain_password_hashes_or_tokens() {
        Api ada = server.signUp(email());
        createOrganization(ada, "Leaky?");
        for (String path : new String[]{"/api/me", "/api/members", "/api/sessions", "/api/audit-events"}) {
            String raw = ada.get(path).raw();
            assertFalse(raw.contains("argon2"), path);
            assertFalse(raw.contains(ada.sessionCookie().orElseThrow()), path);
        }
    }
}
