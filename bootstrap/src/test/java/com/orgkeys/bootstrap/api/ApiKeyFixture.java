package com.orgkeys.bootstrap.api;

import java.util.List;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The setup the API key HTTP tests (rotation, usage, lifecycle) share: a verified admin of an organization of their
 * own (so that tests on one server never see each other's keys), and keys it makes.
 */
final class ApiKeyFixture {
    private ApiKeyFixture() {
    }

    /** A new verified user, admin of a new organization (their active one) on {@code server}. */
    static Api adminOfNewOrganization(TestServer server) {
        Api admin = server.signUp("k" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        var organization = admin.post("/api/organizations", body("name", "Keys Inc"));
        assertEquals(201, organization.status(), organization.toString());
        return admin;
    }

    /** A key {@code admin} made with these scopes (none given: the default ones); its answer, with the secret. */
    static Api.Response key(Api admin, String name, String... scopes) {
        var created = admin.post("/api/api-keys", scopes.length == 0 ? body("name", name)
                : body("name", name, "scopes", List.of(scopes)));
        assertEquals(201, created.status(), created.toString());
        return created;
    }
}
