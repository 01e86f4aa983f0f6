package com.orgkeys.bootstrap.api;

import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's Webhooks tab over plain HTTP, without JavaScript (issue 24): each form posts with its token and the
 * change is visible on the next page; a receiver on this machine (WEBHOOKS_ALLOW_PRIVATE=true, as a developer runs
 * it) gets the test event, whose attempt is listed with its answer escaped; a member without
 * {@code org:sys_webhooks:manage} has no tab and is refused every page and form.
 */
class WebhookDashboardHttpTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private TestServer server;

    private void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.getRequestBody().readAllBytes();
            // markup in the answer: the attempt list must show it as text
            byte[] answer = "<i onmouseover=alert(1)>thanks</i>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
    }

    @AfterEach
    void stop() {
        if (receiver != null) receiver.stop(0);
        if (server != null) server.close();
    }

    private record Tab(String cookie, String csrf) {
    }

    private Tab tab(Api user) throws Exception {
        String cookie = server.sessionCookieName() + "=" + user.sessionCookie().orElseThrow();
        Matcher token = TOKEN.matcher(get("/account", cookie).body());
        assertTrue(token.find(), "no form token");
        return new Tab(cookie, token.group(1));
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html")
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Tab tab, String path, String fields) throws Exception {
        String body = "_csrf=" + enc(tab.csrf()) + (fields.isEmpty() ? "" : "&" + fields);
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .header("Cookie", tab.cookie()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String location(HttpResponse<?> response) {
        assertEquals(303, response.statusCode(), String.valueOf(response.body()));
        return response.headers().firstValue("Location").orElseThrow();
    }

    private String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    @Test
    void every_form_of_the_tab_works_without_javascript_and_its_change_shows_on_the_next_page() throws Exception {
        start();
        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Hooks");
        Tab t = tab(admin);

        var settings = get("/settings", t.cookie());
        assertTrue(settings.body().contains("id=\"tab-webhooks\""), "the admin has the tab");
        var empty = get("/settings/webhooks", t.cookie());
        assertEquals(200, empty.statusCode());
        assertTrue(empty.body().contains("id=\"endpoints-empty\""), empty.body());

        // a bad URL: the form comes back with the error next to the field and what was typed, nothing is made
        var refused = post(t, "/settings/webhooks", "url=" + enc("ftp://example.com/x") + "&description="
                + enc("<script>alert(1)</script>") + "&eventTypes=apiKey.created&enabled=true");
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("id=\"endpoint-url-error\""), refused.body());
        assertTrue(refused.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the description kept, escaped");
        assertFalse(refused.body().contains("<script>alert(1)"));
        assertTrue(refused.body().matches("(?s).*value=\"apiKey.created\" checked.*"), "the checked type kept");
        assertEquals(0, admin.get("/api/webhooks/endpoints").body().get("data").size());

        String created = location(post(t, "/settings/webhooks", "url=" + enc(receiverUrl()) + "&description="
                + enc("<b>billing</b>") + "&eventTypes=apiKey.created&eventTypes=apiKey.revoked&enabled=true"));
        assertTrue(created.matches("/settings/webhooks/[0-9a-f-]{36}\\?notice=webhook-created"), created);
        String id = created.substring("/settings/webhooks/".length(), created.indexOf('?'));
        var endpoint = admin.get("/api/webhooks/endpoints/" + id).body();
        assertEquals(receiverUrl(), endpoint.get("url").asText());
        assertEquals(2, endpoint.get("eventTypes").size());
        var detail = get(created, t.cookie());
        assertEquals(200, detail.statusCode());
        assertTrue(detail.body().contains("Webhook endpoint added"), detail.body());
        assertTrue(detail.body().contains("&lt;b&gt;billing&lt;/b&gt;") && !detail.body().contains("<b>billing"));
        assertTrue(get("/settings/webhooks", t.cookie()).body().contains("/settings/webhooks/" + id));

        // edit: every type (none checked), a new description
        assertEquals("/settings/webhooks/" + id + "?notice=webhook-saved", location(post(t, "/settings/webhooks/" + id
                + "/edit", "url=" + enc(receiverUrl()) + "&description=ops&enabled=true")));
        endpoint = admin.get("/api/webhooks/endpoints/" + id).body();
        assertEquals("ops", endpoint.get("description").asText());
        assertEquals(0, endpoint.get("eventTypes").size());
        assertTrue(get("/settings/webhooks/" + id, t.cookie()).body().contains("every event type"));

        // test event: received, and its attempt listed with the answer as text
        assertEquals("/settings/webhooks/" + id + "?notice=webhook-test-sent", location(post(t, "/settings/webhooks/" + id + "/test", "")));
        String message = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(message, "no test event within 20 s");
        String page = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            page = get("/settings/webhooks/" + id, t.cookie()).body();
            if (page.contains("data-message=\"" + message + "\"")) break;
            Thread.onSpinWait();
        }
        assertTrue(page.contains("data-message=\"" + message + "\""), "the attempt is listed");
        assertTrue(page.contains("&lt;i onmouseover=alert(1)&gt;thanks&lt;/i&gt;"), "the answer, escaped");
        assertFalse(page.contains("<i onmouseover"));
        assertTrue(page.contains("webhook.test") && page.contains(">succeeded<") && page.contains(">200<"), page);
        assertTrue(get("/settings/webhooks", t.cookie()).body().contains("HTTP 200"), "the list's last attempt");

        // replay: the same webhook-id again
        assertEquals("/settings/webhooks/" + id + "?notice=webhook-replayed", location(post(t, "/settings/webhooks/" + id
                + "/messages/" + message + "/replay", "")));
        assertEquals(message, received.poll(20, TimeUnit.SECONDS));

        // reveal: a POST, its answer the only place the secret is shown; audited
        var revealed = post(t, "/settings/webhooks/" + id + "/secret", "");
        assertEquals(200, revealed.statusCode(), revealed.body());
        Matcher secret = Pattern.compile("id=\"secret\">(whsec_[A-Za-z0-9+/=]+)<").matcher(revealed.body());
        assertTrue(secret.find(), revealed.body());
        assertEquals(secret.group(1), admin.get("/api/webhooks/endpoints/" + id + "/secret").text("secret"));
        assertFalse(get("/settings/webhooks/" + id, t.cookie()).body().contains(secret.group(1)), "never on the GET page");
        assertTrue(get("/settings/audit", t.cookie()).body().contains("webhook_endpoint.secret_revealed"));

        // rotate: asked first, then the old one signs beside the new one
        var asked = get("/settings/webhooks/" + id + "/rotate-secret", t.cookie());
        assertTrue(asked.body().contains("24 hours") && asked.body().contains("id=\"confirm-rotate\""), asked.body());
        assertEquals("/settings/webhooks/" + id + "?notice=webhook-secret-rotated",
                location(post(t, "/settings/webhooks/" + id + "/rotate-secret", "")));
        var rotated = admin.get("/api/webhooks/endpoints/" + id + "/secret");
        assertEquals(secret.group(1), rotated.text("previousSecret"));
        assertNotEquals(secret.group(1), rotated.text("secret"));
        assertTrue(get("/settings/webhooks/" + id, t.cookie()).body().contains("id=\"endpoint-previous-secret\""));

        // disable, enable
        assertEquals("/settings/webhooks/" + id + "?notice=webhook-disabled", location(post(t, "/settings/webhooks/" + id + "/disable", "")));
        assertFalse(admin.get("/api/webhooks/endpoints/" + id).body().get("enabled").asBoolean());
        var disabledTest = post(t, "/settings/webhooks/" + id + "/test", "");
        assertEquals(409, disabledTest.statusCode(), "a disabled endpoint gets no test event");
        assertTrue(disabledTest.body().contains("enable it"), disabledTest.body());
        assertEquals("/settings/webhooks/" + id + "?notice=webhook-enabled", location(post(t, "/settings/webhooks/" + id + "/enable", "")));
        assertTrue(admin.get("/api/webhooks/endpoints/" + id).body().get("enabled").asBoolean());

        // delete: asked first
        var confirm = get("/settings/webhooks/" + id + "/delete", t.cookie());
        assertTrue(confirm.body().contains("id=\"confirm-delete\""), confirm.body());
        assertEquals(200, admin.get("/api/webhooks/endpoints/" + id).status(), "asking deleted nothing");
        assertEquals("/settings/webhooks?notice=webhook-deleted", location(post(t, "/settings/webhooks/" + id + "/delete", "")));
        assertEquals(404, admin.get("/api/webhooks/endpoints/" + id).status());
    }

    @Test
    void saving_the_form_keeps_an_instance_only_type_given_before_they_were_refused_and_adds_none() throws Exception {
        start();
        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Legacy");
        Tab t = tab(admin);
        var made = admin.post("/api/webhooks/endpoints", Api.body("url", receiverUrl(), "eventTypes", List.of("apiKey.created")));
        assertEquals(201, made.status(), made.toString());
        String id = made.text("id");
        try (Database database = Database.connect(server.database, 2)) { // as stored by an earlier version
            new Jdbc(database.dataSource()).update("UPDATE webhook_endpoints SET event_types = ? WHERE id = ?",
                    List.of("apiKey.created", "user.created"), UUID.fromString(id));
        }

        // the form shows no user.* box: saving it must not take user.created out (with it, nothing: every type)
        location(post(t, "/settings/webhooks/" + id + "/edit", "url=" + enc(receiverUrl())
                + "&description=kept&eventTypes=apiKey.revoked&enabled=true"));
        var endpoint = admin.get("/api/webhooks/endpoints/" + id).body();
        assertEquals("kept", endpoint.get("description").asText());
        assertEquals("[\"apiKey.revoked\",\"user.created\"]", endpoint.get("eventTypes").toString());

        var refused = post(t, "/settings/webhooks/" + id + "/edit", "url=" + enc(receiverUrl())
                + "&description=kept&eventTypes=session.created&enabled=true");
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals(endpoint, admin.get("/api/webhooks/endpoints/" + id).body());
    }

    @Test
    void a_member_without_the_permission_has_no_tab_and_every_page_and_form_is_refused() throws Exception {
        start();
        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Hooks");
        // a filter the member's joining does not match: anything received is then a test event (sent whatever the filter)
        String id = admin.post("/api/webhooks/endpoints", Api.body("url", receiverUrl(), "eventTypes",
                List.of("apiKey.revoked"))).text("id");
        String email = OrganizationApiTest.email();
        Api member = server.signUp(email);
        OrganizationApiTest.invite(admin, member, email, "org:member");
        Tab t = tab(member);

        assertFalse(get("/settings", t.cookie()).body().contains("tab-webhooks"), "no tab");
        for (String path : List.of("/settings/webhooks", "/settings/webhooks/new", "/settings/webhooks/" + id,
                "/settings/webhooks/" + id + "/edit", "/settings/webhooks/" + id + "/delete",
                "/settings/webhooks/" + id + "/rotate-secret")) {
            var page = get(path, t.cookie());
            assertEquals(403, page.statusCode(), path);
            assertTrue(page.body().contains("org:sys_webhooks:manage"), path + " names the missing permission");
        }
        for (String path : List.of("/settings/webhooks", "/settings/webhooks/" + id + "/edit",
                "/settings/webhooks/" + id + "/disable", "/settings/webhooks/" + id + "/delete",
                "/settings/webhooks/" + id + "/test", "/settings/webhooks/" + id + "/secret",
                "/settings/webhooks/" + id + "/rotate-secret",
                "/settings/webhooks/" + id + "/messages/msg_" + "0".repeat(32) + "/replay")) {
            var refused = post(t, path, "url=" + enc("http://127.0.0.1:1/x") + "&enabled=true");
            assertEquals(403, refused.statusCode(), path);
            assertFalse(refused.body().contains("whsec_"), path);
        }
        var endpoint = admin.get("/api/webhooks/endpoints/" + id).body();
        assertTrue(endpoint.get("enabled").asBoolean());
        assertEquals(receiverUrl(), endpoint.get("url").asText());
        assertEquals(1, admin.get("/api/webhooks/endpoints").body().get("data").size());
        assertTrue(received.isEmpty(), "no test event was sent");
    }
}
