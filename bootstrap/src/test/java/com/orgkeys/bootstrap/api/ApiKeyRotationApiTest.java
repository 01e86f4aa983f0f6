package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/api-keys/{id}/rotate (issue 25): a new secret for the same key, the old one working for a grace period. */
class ApiKeyRotationApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void both_secrets_work_during_the_grace_period_and_the_old_one_is_refused_at_its_end() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var created = ApiKeyFixture.key(admin, "ci", "org:agents:read");
        Api old = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, old.get("/api/whoami").status()); // remembered by verification now
        assertNull(admin.get("/api/api-keys/" + created.text("id")).body().get("rotatedAt").textValue());

        var rotated = admin.post("/api/api-keys/" + created.text("id") + "/rotate", body("gracePeriodSeconds", 3600));

        assertEquals(200, rotated.status(), rotated.toString());
        assertEquals(created.text("id"), rotated.text("id"));
        assertEquals("ci", rotated.text("name"));
        assertNotEquals(created.text("secret"), rotated.text("secret"));
        assertNotEquals(created.text("hint"), rotated.text("hint"));
        Instant graceEnd = Instant.parse(rotated.text("previousSecretExpiresAt"));
        assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(rotated.text("rotatedAt")), graceEnd));
        var detail = admin.get("/api/api-keys/" + created.text("id"));
        assertEquals(rotated.text("previousSecretExpiresAt"), detail.text("previousSecretExpiresAt"));
        assertEquals(null, detail.body().get("secret"), "the secret is shown once");
        Api fresh = server.anonymous().withBearer(rotated.text("secret"));
        assertEquals(200, old.get("/api/whoami").status());
        assertEquals(200, fresh.get("/api/whoami").status());

        server.clock.advance(Duration.ofHours(1));

        assertEquals(401, old.get("/api/whoami").status());
        assertEquals(200, fresh.get("/api/whoami").status());
        assertTrue(admin.get("/api/audit-events").raw().contains("api_key.rotated"));
    }

    @Test
    void without_a_grace_period_the_old_secret_stops_at_once() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var created = ApiKeyFixture.key(admin, "leaked");
        Api old = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, old.get("/api/whoami").status());

        var rotated = admin.post("/api/api-keys/" + created.text("id") + "/rotate", null);

        assertEquals(200, rotated.status(), rotated.toString());
        assertEquals(rotated.text("rotatedAt"), rotated.text("previousSecretExpiresAt"));
        assertEquals(401, old.get("/api/whoami").status());
        assertEquals(200, server.anonymous().withBearer(rotated.text("secret")).get("/api/whoami").status());
    }

    @Test
    void bad_input_a_finished_key_or_an_api_key_caller_change_nothing() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var created = ApiKeyFixture.key(admin, "k");
        String path = "/api/api-keys/" + created.text("id") + "/rotate";

        for (Object grace : List.of(-1, 604801, "soon", 1.5)) {
            var refused = admin.post(path, body("gracePeriodSeconds", grace));
            assertTrue(refused.status() == 422 || refused.status() == 400, grace + ": " + refused);
        }
        var tooLong = admin.post(path, body("gracePeriodSeconds", 604801));
        assertEquals("gracePeriodSeconds", tooLong.body().get("errors").get(0).get("field").asText(), tooLong.toString());
        var unknown = admin.post(path, body("unknown", 1));
        assertEquals("unknown", unknown.body().get("errors").get(0).get("field").asText(), unknown.toString());
        // a key cannot rotate keys, its own included: a leaked one could otherwise renew itself
        Api program = server.anonymous().withBearer(created.text("secret"));
        int byKey = program.post(path, null).status();
        assertTrue(byKey == 401 || byKey == 403, "a key rotating: " + byKey);
        assertEquals(created.text("hint"), admin.get("/api/api-keys/" + created.text("id")).text("hint"));
        assertEquals(200, program.get("/api/whoami").status());

        admin.post("/api/api-keys/" + created.text("id") + "/disable", null);
        assertEquals(409, admin.post(path, null).status());
        admin.post("/api/api-keys/" + created.text("id") + "/revoke", null);
        var revoked = admin.post(path, null);
        assertEquals(409, revoked.status());
        assertTrue(revoked.text("detail").contains("revoked"), revoked.toString());
        assertEquals(404, admin.post("/api/api-keys/00000000-0000-4000-8000-000000000000/rotate", null).status());
    }
}
