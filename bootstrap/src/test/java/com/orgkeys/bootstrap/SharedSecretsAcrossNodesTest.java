package com.orgkeys.bootstrap;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two orgkeys nodes on one database, as behind a round-robin balancer: a dashboard form rendered by one is
 * accepted by the other, also across a rotation of the secrets, and a form sent twice makes one key whichever
 * nodes the submits land on.
 */
class SharedSecretsAcrossNodesTest {
    static final HttpClient http = HttpClient.newHttpClient();

    /** A rendered key-creation form: its token and nonce, as a browser would send them back. */
    record KeyForm(String token, String nonce) {
        String body(String name) {
            return "_csrf=" + enc(token) + "&nonce=" + enc(nonce) + "&name=" + enc(name)
                    + "&expiry=never&scopes=org%3Aagents%3Aread";
        }
    }

    static KeyForm newKeyForm(TestServer node, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(node.origin() + "/settings/api-keys/new"))
                .header("Accept", "text/html").header("Cookie", cookie).build();
        String html = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return new KeyForm(field(html, "_csrf"), field(html, "nonce"));
    }

    static int submit(TestServer node, String cookie, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(node.origin() + "/settings/api-keys"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", node.origin())
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no " + name + " in the page");
        return m.group(1);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A new administrator of a new organization, and the session cookie a browser of theirs sends. */
    record Admin(Api api, String cookie) {
        static Admin of(TestServer node, String organization) {
            Api admin = node.signUp("admin-" + java.util.UUID.randomUUID() + "@example.com");
            assertEquals(201, admin.post("/api/organizations", Api.body("name", organization)).status());
            return new Admin(admin, node.sessionCookieName() + "=" + admin.sessionCookie().orElseThrow());
        }

        int keys() {
            return api.get("/api/api-keys").body().get("totalCount").asInt();
        }
    }

    @Test
    void a_form_from_one_node_is_accepted_by_the_other_and_the_same_form_sent_to_both_at_once_makes_one_key()
            throws Exception {
        try (TestServer a = TestServer.start(); TestServer b = TestServer.startOn(a.database, Map.of())) {
            Admin admin = Admin.of(a, "Two nodes");
            String cookie = admin.cookie();

            assertEquals(201, submit(b, cookie, newKeyForm(a, cookie).body("made on A, sent to B")));
            assertEquals(201, submit(a, cookie, newKeyForm(b, cookie).body("made on B, sent to A")));

            KeyForm form = newKeyForm(a, cookie);
            int submits = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(submits)) {
                for (int i = 0; i < submits; i++) {
                    TestServer node = i % 2 == 0 ? a : b;
                    answers.add(pool.submit(() -> {
                        start.await();
                        return submit(node, cookie, form.body("double"));
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (var answer : answers) statuses.add(answer.get(60, TimeUnit.SECONDS));
                assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
                assertEquals(submits - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
            }
            assertEquals(3, admin.keys(), "one key per form");
        }
    }

    @Test
    void forms_open_across_a_rotation_still_work_on_every_node_and_forms_from_two_rotations_ago_nowhere()
            throws Exception {
        try (TestServer a = TestServer.start(); TestServer b = TestServer.startOn(a.database, Map.of())) {
            Config config = Config.fromEnvironment(Map.of("DATABASE_URL", TestPostgres.environmentValue(a.database)));
            Admin admin = Admin.of(a, "Rotating");
            String cookie = admin.cookie();
            KeyForm openBefore = newKeyForm(a, cookie);
            KeyForm openLongBefore = newKeyForm(b, cookie);

            assertEquals(2, RotateSecrets.rotate(config).getFirst().version());
            KeyForm signedWithTheNewKey;
            try (TestServer c = TestServer.startOn(a.database, Map.of())) { // a node started after the rotation
                signedWithTheNewKey = newKeyForm(c, cookie);
                assertEquals(201, submit(c, cookie, openBefore.body("open before the rotation")));
            }
            // A has not reloaded (that is every minute) and still verifies the new version at once
            assertEquals(201, submit(a, cookie, signedWithTheNewKey.body("new key on A")));

            RotateSecrets.rotate(config);
            try (TestServer d = TestServer.startOn(a.database, Map.of())) {
                assertEquals(403, submit(d, cookie, openLongBefore.body("two rotations ago")), "its key is deleted");
                assertEquals(201, submit(d, cookie, newKeyForm(a, cookie).body("A's current key, the one before")));
            }
            assertEquals(3, admin.keys());
        }
    }
}
