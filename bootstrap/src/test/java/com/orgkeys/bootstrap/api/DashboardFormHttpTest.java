package com.orgkeys.bootstrap.api;

import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.persistence.testing.TestPostgres;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's form token over plain HTTP: every form post must carry the token of its own cookie. */
class DashboardFormHttpTest {
    static TestServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("ADMIN_EMAILS", FORMS_ADMIN));
    }

    /** The instance administrator of this server, for the secret-key forms (signed up once, by {@link #formsAdmin}). */
    static final String FORMS_ADMIN = "forms-admin@example.com";
    private static Api formsAdmin;

    private static synchronized Api formsAdmin() {
        if (formsAdmin == null) formsAdmin = server.signUp(FORMS_ADMIN);
        return formsAdmin;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html");
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postForm(String path, String cookie, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as {@code headers} (name, value, …) say, nothing else: no Origin or cookie unless given. */
    static HttpResponse<String> rawPost(String path, String contentType, String body, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String signedInCookie(Api api) {
        return "orgkeys_session=" + api.sessionCookie().orElseThrow();
    }

    static String token(String html) {
        Matcher m = TOKEN.matcher(html);
        assertTrue(m.find(), "no form token in page");
        return m.group(1);
    }

    static String cookiePair(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void sign_up_with_the_pages_token_works_and_without_it_is_refused() throws Exception {
        var page = get("/sign-up", null);
        assertEquals(200, page.statusCode());
        String pre = cookiePair(page, "orgkeys_form");
        String body = "name=Eve&email=" + enc("eve@example.com") + "&password=" + enc("correct horse battery staple");

        var missing = postForm("/sign-up", pre, body);
        assertEquals(403, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        var wrongCookie = postForm("/sign-up", "orgkeys_form=other", body + "&_csrf=" + enc(token(page.body())));
        assertEquals(403, wrongCookie.statusCode());

        var ok = postForm("/sign-up", pre, body + "&_csrf=" + enc(token(page.body())));
        assertEquals(303, ok.statusCode(), ok.body());
        String session = cookiePair(ok, "orgkeys_session");

        // Signed in, the token is bound to the session: the pre-session token no longer works.
        var orgPage = get("/organizations/new", session);
        assertEquals(200, orgPage.statusCode());
        var stale = postForm("/organizations/new", session, "name=Evil&_csrf=" + enc(token(page.body())));
        assertEquals(403, stale.statusCode());
        var created = postForm("/organizations/new", session, "name=Eve+Inc&_csrf=" + enc(token(orgPage.body())));
        assertEquals(303, created.statusCode(), created.body());
        assertEquals("/settings?notice=created", created.headers().firstValue("Location").orElse(""));
    }

    @Test
    void a_refused_form_ties_each_error_to_its_field_without_javascript() throws Exception {
        var page = get("/sign-up", null);
        String pre = cookiePair(page, "orgkeys_form");
        var refused = postForm("/sign-up", pre, "name=Eve&email=" + enc("eve-aria@example.com") + "&password=short&_csrf="
                + enc(token(page.body())));
        assertEquals(422, refused.statusCode(), refused.body());
        String html = refused.body();
        Matcher password = Pattern.compile("<input [^>]*id=\"password\"[^>]*>").matcher(html);
        assertTrue(password.find(), html);
        assertTrue(password.group().contains("aria-invalid=\"true\"") && password.group().contains(
                "aria-describedby=\"password-error\""), password.group());
        assertTrue(html.contains("<span class=\"field-error\" id=\"password-error\" data-for=\"password\">"), html);
        Matcher name = Pattern.compile("<input [^>]*id=\"name\"[^>]*>").matcher(html);
        assertTrue(name.find(), html);
        assertFalse(name.group().contains("aria-invalid") || name.group().contains("aria-describedby"), name.group());
    }

    @Test
    void the_json_api_is_unchanged_by_the_dashboard() throws Exception {
        var api = server.signUp("json@example.com");
        assertEquals(201, api.post("/api/organizations", java.util.Map.of("name", "Json")).status());
        var notFound = server.anonymous().get("/api/nothing-here");
        assertEquals(404, notFound.status());
        assertEquals("application/problem+json", notFound.header("Content-Type"));
        var page404 = get("/nothing-here", null);
        assertEquals(404, page404.statusCode());
        assertTrue(page404.body().contains("Page not found"));
        assertFalse(page404.body().contains("urn:orgkeys:problem"));
    }

    // ---- login CSRF: the Origin check holds with or without a cookie -----------------------------------------

    @Test
    void sign_in_and_sign_up_from_another_site_are_refused_even_without_any_cookie() throws Exception {
        String mallory = OrganizationApiTest.email();
        server.signUp(mallory);
        String signIn = "{\"email\":\"" + mallory + "\",\"password\":\"correct horse battery " + mallory + "\"}";
        String json = "application/json";

        for (String[] crossSite : new String[][]{{"Origin", "https://evil.example"}, {"Origin", "null"},
                {"Referer", "https://evil.example/login-csrf"}, {"Origin", server.origin() + ".evil.example"},
                {"Origin", "null", "Referer", server.origin() + "/sign-in"}, {"Origin", " null ", "Referer", server.origin()}}) {
            var refused = rawPost("/api/auth/sign-in", json, signIn, crossSite);
            assertEquals(403, refused.statusCode(), String.join(": ", crossSite) + " " + refused.body());
            assertTrue(refused.headers().allValues("Set-Cookie").isEmpty(), "a session was started");
        }
        String newcomer = OrganizationApiTest.email();
        var signUp = rawPost("/api/auth/sign-up", json, "{\"email\":\"" + newcomer
                + "\",\"password\":\"correct horse battery staple\",\"name\":\"N\"}", "Origin", "https://evil.example");
        assertEquals(403, signUp.statusCode(), signUp.body());
        assertEquals(401, rawPost("/api/auth/sign-in", json, "{\"email\":\"" + newcomer
                + "\",\"password\":\"correct horse battery staple\"}", "Origin", server.origin()).statusCode(),
                "the refused sign-up created the account");

        // the dashboard's sign-in form too, even with a valid pre-session cookie and token
        var page = get("/sign-in", null);
        String form = "email=" + enc(mallory) + "&password=" + enc("correct horse battery " + mallory)
                + "&_csrf=" + enc(token(page.body()));
        var crossSiteForm = rawPost("/sign-in", "application/x-www-form-urlencoded", form,
                "Cookie", cookiePair(page, "orgkeys_form"), "Origin", "https://evil.example");
        assertEquals(403, crossSiteForm.statusCode());
        var sameSiteForm = rawPost("/sign-in", "application/x-www-form-urlencoded", form,
                "Cookie", cookiePair(page, "orgkeys_form"), "Origin", server.origin());
        assertEquals(303, sameSiteForm.statusCode(), sameSiteForm.body());
    }

    @Test
    void a_program_without_origin_and_without_cookies_may_sign_in_but_any_cookie_needs_an_origin() throws Exception {
        String ada = OrganizationApiTest.email();
        server.signUp(ada);
        String signIn = "{\"email\":\"" + ada + "\",\"password\":\"correct horse battery " + ada + "\"}";

        var program = rawPost("/api/auth/sign-in", "application/json", signIn);
        assertEquals(200, program.statusCode(), program.body());

        var withCookie = rawPost("/api/auth/sign-in", "application/json", signIn, "Cookie", "orgkeys_form=x");
        assertEquals(403, withCookie.statusCode(), withCookie.body());
        assertTrue(withCookie.body().contains("Origin"), withCookie.body());
    }

    @Test
    void form_tokens_are_issued_only_for_cookie_values_this_server_issued() throws Exception {
        String body = "name=Eve&email=" + enc(OrganizationApiTest.email()) + "&password=" + enc("correct horse battery staple");
        for (String chosen : new String[]{"orgkeys_form=attacker-chosen", "orgkeys_session=attacker-chosen"}) {
            var page = get("/sign-up", chosen);
            assertEquals(200, page.statusCode());
            String issued = cookiePair(page, "orgkeys_form");
            assertNotEquals("orgkeys_form=attacker-chosen", issued, "the chosen value was kept");

            var planted = postForm("/sign-up", chosen, body + "&_csrf=" + enc(token(page.body())));
            assertEquals(403, planted.statusCode(), chosen);
            assertTrue(planted.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("orgkeys_session=")
                    && !c.startsWith("orgkeys_session=;")), "signed up with a planted cookie: " + chosen);
        }
    }

    // ---- email verification -------------------------------------------------------------------------------

    @Test
    void an_unverified_user_is_told_on_every_page_and_verifies_with_the_code_on_the_verify_page() throws Exception {
        String email = OrganizationApiTest.email();
        Api user = server.signUpUnverified(email);
        OrganizationApiTest.createOrganization(user, "Unverified Forms");
        String cookie = signedInCookie(user);

        for (String path : List.of("/agents", "/settings", "/settings/api-keys")) {
            var page = get(path, cookie);
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.body().contains("id=\"verify-email-banner\""), path + " has no banner");
        }
        var newKey = get("/settings/api-keys/new", cookie);
        assertTrue(newKey.body().contains("id=\"verify-first\"") && !newKey.body().contains("id=\"create-key\""),
                "the new-key page offers a form that would fail");

        var verifyPage = get("/verify-email?next=" + enc("/settings/api-keys/new"), cookie);
        assertEquals(200, verifyPage.statusCode());
        String code = server.awaitRecordedVerification(email).code();
        String wrong = code.equals("000000") ? "000001" : "000000";
        var refused = postForm("/verify-email", cookie, "_csrf=" + enc(token(verifyPage.body())) + "&next="
                + enc("/settings/api-keys/new") + "&code=" + wrong);
        assertEquals(422, refused.statusCode());
        assertTrue(refused.body().contains("is wrong"), refused.body());
        var verified = postForm("/verify-email", cookie, "_csrf=" + enc(token(verifyPage.body())) + "&next="
                + enc("/settings/api-keys/new") + "&code=" + code);
        assertEquals(303, verified.statusCode(), verified.body());
        assertEquals("/settings/api-keys/new", verified.headers().firstValue("Location").orElse(""));

        var after = get("/settings/api-keys/new", cookie);
        assertFalse(after.body().contains("id=\"verify-email-banner\""), "banner after verifying");
        assertTrue(after.body().contains("id=\"create-key\""));
        var again = postForm("/verify-email/resend", cookie, "_csrf=" + enc(token(after.body())));
        assertEquals(303, again.statusCode(), "verified already: back to the page, which says so");
    }

    @Test
    void the_verify_page_sends_a_new_mail_on_request_and_goes_nowhere_off_site() throws Exception {
        String email = OrganizationApiTest.email();
        Api user = server.signUpUnverified(email);
        String cookie = signedInCookie(user);
        var page = get("/verify-email?next=" + enc("https://evil.example/"), cookie);
        assertFalse(page.body().contains("evil.example"), "an off-site next was kept");
        server.awaitRecordedVerification(email); // the sign-up's mail

        var resent = postForm("/verify-email/resend", cookie, "_csrf=" + enc(token(page.body())));
        assertEquals(303, resent.statusCode(), resent.body());
        assertEquals("/verify-email?notice=verification-sent", resent.headers().firstValue("Location").orElse(""));
        Instant deadline = Instant.now().plusSeconds(20);
        while (server.mailer.sent().stream().filter(m -> m instanceof EmailVerificationMail v
                && v.to().value().equals(email)).count() < 2) {
            assertTrue(Instant.now().isBefore(deadline), "no second mail within 20 s");
            Thread.sleep(20); // a poll interval; the loop has the deadline
        }
        String second = server.awaitRecordedVerification(email).code();
        var verified = postForm("/verify-email", cookie, "_csrf=" + enc(token(page.body())) + "&code=" + second);
        assertEquals(303, verified.statusCode(), "the new mail's code works");
        assertEquals("/organizations/new?notice=email-verified", verified.headers().firstValue("Location").orElse(""));
    }

    // ---- API key expiry ------------------------------------------------------------------------------------

    private static Api adminWithOrganization() {
        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Forms");
        return admin;
    }

    private static HttpResponse<String> createKey(Api admin, String fields) throws Exception {
        String cookie = signedInCookie(admin);
        var page = get("/settings/api-keys/new", cookie);
        assertEquals(200, page.statusCode(), page.body());
        Matcher nonce = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(nonce.find());
        return postForm("/settings/api-keys", cookie, "_csrf=" + enc(token(page.body())) + "&nonce=" + enc(nonce.group(1))
                + "&name=k&scopes=org%3Aagents%3Aread&" + fields);
    }

    @Test
    void a_number_typed_into_in_days_makes_an_expiring_key_even_when_never_is_still_selected() throws Exception {
        Api admin = adminWithOrganization();
        Instant before = Instant.now();

        var created = createKey(admin, "expiry=never&customDays=45");

        assertEquals(201, created.statusCode(), created.body());
        var keys = admin.get("/api/api-keys").body().get("data");
        assertEquals(1, keys.size());
        assertFalse(keys.get(0).get("expiresAt").isNull(), "the key never expires");
        Instant expires = Instant.parse(keys.get(0).get("expiresAt").asText());
        assertFalse(expires.isBefore(before.plus(Duration.ofDays(45)).minusSeconds(5)), expires.toString());
        assertFalse(expires.isAfter(Instant.now().plus(Duration.ofDays(45)).plusSeconds(5)), expires.toString());
        assertTrue(created.body().contains(expires.toString().substring(0, 10)), "the answer shows when it expires");
    }

    @Test
    void days_typed_next_to_another_chosen_duration_are_refused_and_create_nothing() throws Exception {
        Api admin = adminWithOrganization();
        for (String ambiguous : new String[]{"expiry=30&customDays=45", "expiry=7&customDays=7"}) {
            var refused = createKey(admin, ambiguous);
            assertEquals(422, refused.statusCode(), ambiguous);
            assertTrue(refused.body().contains("field-error"), refused.body());
        }
        assertEquals(0, admin.get("/api/api-keys").body().get("totalCount").asInt());
        assertEquals(201, createKey(admin, "expiry=custom&customDays=45").statusCode());
        assertEquals(201, createKey(admin, "expiry=30&customDays=").statusCode());
    }

    // ---- API key list: who made each key -------------------------------------------------------------------

    @Test
    void members_beyond_the_first_hundred_are_listed_and_named_as_key_creators() throws Exception {
        Api admin = adminWithOrganization();
        String orgId = admin.get("/api/me").body().get("activeOrganizationId").asText();
        String adminName = admin.get("/api/me").body().get("user").get("name").asText();
        // 100 members who joined before the admin did, so that the admin is the 101st
        try (var db = TestPostgres.connect(server.database)) {
            db.createStatement().execute("""
                    WITH fill AS (SELECT gen_random_uuid() AS id, n FROM generate_series(1, 100) n),
                         u AS (INSERT INTO users (id, email, name, password_hash, created_at)
                               SELECT id, 'filler' || n || '-' || id || '@example.com', 'Filler ' || n, 'x', now() FROM fill
                               RETURNING id)
                    INSERT INTO memberships (organization_id, user_id, role_key, joined_at)
                    SELECT '%s'::uuid, id, 'org:member', now() - interval '1 day' FROM u""".formatted(orgId));
        }
        assertEquals(101, admin.get("/api/members").body().get("totalCount").asInt());
        assertEquals(201, admin.post("/api/api-keys", Map.of("name", "late joiner's key")).status());

        var list = get("/settings/api-keys", signedInCookie(admin));

        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains(adminName), "creator not named");
        assertFalse(list.body().contains("a former member"), "a current member shown as former");

        // and the members page reaches them all, page by page
        String adminRow = "data-email=\"" + admin.get("/api/me").body().get("user").get("email").asText() + "\"";
        var first = get("/settings/members", signedInCookie(admin));
        assertFalse(first.body().contains(adminRow));
        var next = Pattern.compile("<a href=\"(/settings/members\\?cursor=[A-Za-z0-9_-]+)\" rel=\"next\">")
                .matcher(first.body());
        assertTrue(next.find(), "no way to the next page");
        var second = get(next.group(1), signedInCookie(admin));
        next = Pattern.compile("<a href=\"(/settings/members\\?cursor=[A-Za-z0-9_-]+)\" rel=\"next\">")
                .matcher(second.body());
        assertTrue(next.find(), "no way to the last page");
        var last = get(next.group(1), signedInCookie(admin));
        assertTrue(last.body().contains(adminRow), "the 101st member is on no page");
        // a bookmarked page number still works
        assertTrue(get("/settings/members?page=3", signedInCookie(admin)).body().contains(adminRow));
    }

    @Test
    void a_bad_or_stale_cursor_in_a_dashboard_link_shows_the_first_page() throws Exception {
        Api admin = adminWithOrganization();
        for (int i = 1; i <= 3; i++) {
            admin.post("/api/api-keys", Map.of("name", "listed key " + i));
            admin.post("/api/agents", Map.of("name", "listed agent " + i, "model", "m"));
        }
        String keyCursor = admin.get("/api/api-keys?pageSize=1").body().get("nextCursor").asText();
        String agentCursor = admin.get("/api/agents?pageSize=1").body().get("nextCursor").asText();
        String cookie = signedInCookie(admin);
        for (String path : List.of("/settings/api-keys?cursor=garbage", "/settings/api-keys?cursor=" + agentCursor,
                "/settings/api-keys?status=revoked&cursor=" + keyCursor, "/agents?cursor=" + keyCursor,
                "/agents?query=agent&cursor=" + agentCursor, "/settings/members?cursor=" + keyCursor,
                "/settings/audit?cursor=" + keyCursor, "/settings/audit?cursor=%21%21")) {
            var page = get(path, cookie);
            assertEquals(200, page.statusCode(), path);
            assertFalse(page.body().contains("rel=\"prev\""), path + ": not the first page");
        }
        var keys = get("/settings/api-keys?cursor=" + agentCursor, cookie).body();
        assertTrue(keys.contains("listed key 3") && keys.contains("of 3<"), keys);
        // the API's cursor of the same list and filters is followed: the keys after the newest
        var after = get("/settings/api-keys?cursor=" + keyCursor, cookie).body();
        assertFalse(after.contains("listed key 3"), after);
        assertTrue(after.contains("listed key 2") && after.contains("Showing 2 of 3") && after.contains("rel=\"prev\""), after);
        // the agents page searches
        var agents = get("/agents?query=AGENT+2", cookie).body();
        assertTrue(agents.contains("data-agent=\"listed agent 2\"") && !agents.contains("data-agent=\"listed agent 1\""), agents);
        assertTrue(agents.contains("value=\"AGENT 2\""), "the search box keeps the search");
    }

    @Test
    void the_audit_page_links_to_the_export_of_every_event() throws Exception {
        Api admin = adminWithOrganization();
        admin.post("/api/api-keys", Map.of("name", "audited key"));
        String cookie = signedInCookie(admin);
        var link = Pattern.compile("<a href=\"([^\"]+)\" id=\"audit-export\" download>").matcher(get("/settings/audit", cookie).body());
        assertTrue(link.find(), "no export link on the audit page");
        var export = get(link.group(1), cookie);
        assertEquals(200, export.statusCode());
        assertTrue(export.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        assertTrue(export.body().lines().anyMatch(line -> line.contains("audited key")), export.body());
    }

    // ---- members: own role, invitations --------------------------------------------------------------------

    @Test
    void changing_your_own_role_asks_for_confirmation_first() throws Exception {
        Api ada = adminWithOrganization();
        String bobEmail = OrganizationApiTest.email();
        OrganizationApiTest.invite(ada, server.signUp(bobEmail), bobEmail, "org:admin"); // so that ada may step down
        String adaId = OrganizationApiTest.userId(ada);
        String cookie = signedInCookie(ada);
        String csrf = token(get("/settings/members", cookie).body());

        var asked = postForm("/settings/members/" + adaId + "/role", cookie, "_csrf=" + enc(csrf) + "&role=org%3Amember");

        assertEquals(200, asked.statusCode(), asked.body());
        assertTrue(asked.body().contains("id=\"confirm-role-change\""), asked.body());
        assertEquals("org:admin", roleOf(ada, adaId), "changed without confirmation");

        var confirmed = postForm("/settings/members/" + adaId + "/role", cookie,
                "_csrf=" + enc(csrf) + "&role=org%3Amember&confirm=yes");
        assertEquals(303, confirmed.statusCode(), confirmed.body());
        assertEquals("org:member", roleOf(ada, adaId));
    }

    @Test
    void switching_with_the_placeholder_choice_changes_nothing_and_is_no_error() throws Exception {
        Api newcomer = server.signUp(OrganizationApiTest.email()); // no organization yet: the switcher shows a placeholder
        String cookie = signedInCookie(newcomer);
        String csrf = token(get("/organizations/new", cookie).body());

        var switched = postForm("/organizations/switch", cookie, "_csrf=" + enc(csrf) + "&organizationId=");

        assertEquals(303, switched.statusCode(), switched.body());
        assertEquals("/", switched.headers().firstValue("Location").orElseThrow());
        var active = newcomer.get("/api/me").body().path("activeOrganizationId");
        assertTrue(active.isNull() || active.isMissingNode(), "an organization became active: " + active);
    }

    @Test
    void the_members_page_offers_only_roles_the_viewer_may_give_and_changes_only_roles_they_may_take_away() throws Exception {
        Api ada = adminWithOrganization();
        List<String> managerPermissions = new ArrayList<>();
        for (var role : ada.get("/api/roles").body().get("data")) {
            if (role.get("key").asText().equals("org:member")) role.get("permissions").forEach(p -> managerPermissions.add(p.asText()));
        }
        managerPermissions.add("org:sys_memberships:manage");
        assertEquals(201, ada.post("/api/roles", Api.body("key", "org:manager", "name", "Manager",
                "permissions", managerPermissions)).status());
        String bobEmail = OrganizationApiTest.email();
        Api bob = server.signUp(bobEmail);
        OrganizationApiTest.invite(ada, bob, bobEmail, "org:manager");
        String adaId = OrganizationApiTest.userId(ada);
        String bobId = OrganizationApiTest.userId(bob);

        String page = get("/settings/members", signedInCookie(bob)).body();

        assertFalse(page.contains("value=\"org:admin\""), "an admin role offered to a manager:\n" + page);
        assertTrue(page.contains("value=\"org:member\"") && page.contains("value=\"org:manager\""), page);
        assertFalse(page.contains("/settings/members/" + adaId + "/role"), "the admin's role is changeable by a manager");
        assertTrue(page.contains("/settings/members/" + bobId + "/role"), "a manager cannot change their own role");
        String adminPage = get("/settings/members", signedInCookie(ada)).body();
        assertTrue(adminPage.contains("value=\"org:admin\"") && adminPage.contains("/settings/members/" + bobId + "/role"),
                adminPage);
    }

    private static String roleOf(Api api, String userId) {
        for (var m : api.get("/api/members").body().get("data")) {
            if (m.get("userId").asText().equals(userId)) return m.get("role").asText();
        }
        throw new AssertionError("no member " + userId);
    }

    @Test
    void an_invitation_form_redirects_and_shows_the_link_once_without_putting_it_in_the_url() throws Exception {
        Api admin = adminWithOrganization();
        String cookie = signedInCookie(admin);
        String invitee = OrganizationApiTest.email();

        var posted = postForm("/settings/members/invite", cookie,
                "_csrf=" + enc(token(get("/settings/members", cookie).body())) + "&email=" + enc(invitee) + "&role=org%3Amember");

        assertEquals(303, posted.statusCode(), posted.body());
        String location = posted.headers().firstValue("Location").orElse("");
        assertEquals("/settings/members?notice=invited", location);
        String flash = cookiePair(posted, "orgkeys_flash");
        var shown = get(location, cookie + "; " + flash);
        assertTrue(shown.body().contains("id=\"invitation-link\""), shown.body());
        assertTrue(shown.body().contains(invitee));
        assertTrue(shown.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("orgkeys_flash=;")),
                "the flash is not cleared");
        assertFalse(get(location, cookie).body().contains("id=\"invitation-link\""), "link shown again");

        // another session (or a planted cookie) cannot show it
        Api other = adminWithOrganization();
        assertFalse(get(location, signedInCookie(other) + "; " + flash).body().contains("invitation-link"));
        assertFalse(get(location, cookie + "; orgkeys_flash=forged").body().contains("invitation-link"));
        assertEquals(1, admin.get("/api/invitations").body().get("data").size());
    }

    @Test
    void an_api_key_form_with_a_nonce_this_server_never_made_is_refused_and_creates_nothing() throws Exception {
        Api admin = adminWithOrganization();
        String cookie = signedInCookie(admin);
        var page = get("/settings/api-keys/new", cookie);
        String form = "_csrf=" + enc(token(page.body())) + "&name=k&expiry=never&scopes=org%3Aagents%3Aread&nonce=";

        var huge = postForm("/settings/api-keys", cookie, form + "n".repeat(500_000));
        assertEquals(400, huge.statusCode());
        assertEquals(0, admin.get("/api/api-keys").body().get("data").size());
        assertEquals(201, postForm("/settings/api-keys", cookie, form + "a-nonce-of-ordinary-length").statusCode());
        assertEquals(409, postForm("/settings/api-keys", cookie, form + "a-nonce-of-ordinary-length").statusCode(),
                "the same form twice mints one key");
    }

    @Test
    void the_same_api_key_form_sent_many_times_at_once_mints_exactly_one_key() throws Exception {
        Api admin = adminWithOrganization();
        String cookie = signedInCookie(admin);
        var page = get("/settings/api-keys/new", cookie);
        Matcher nonce = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(nonce.find());
        String form = "_csrf=" + enc(token(page.body())) + "&nonce=" + enc(nonce.group(1))
                + "&name=double&expiry=never&scopes=org%3Aagents%3Aread";
        int submits = 8;
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(submits)) {
            for (int i = 0; i < submits; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return postForm("/settings/api-keys", cookie, form).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var answer : answers) statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(submits - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        }
        assertEquals(1, admin.get("/api/api-keys").body().get("totalCount").asInt(), "keys minted by one form");
    }

    @Test
    void an_api_key_form_refused_for_its_fields_can_be_corrected_and_sent_again() throws Exception {
        Api admin = adminWithOrganization();
        String cookie = signedInCookie(admin);
        var page = get("/settings/api-keys/new", cookie);
        String form = "_csrf=" + enc(token(page.body())) + "&nonce=a-nonce-refused-first&expiry=never&scopes=org%3Aagents%3Aread";

        assertEquals(422, postForm("/settings/api-keys", cookie, form + "&name=").statusCode());
        assertEquals(201, postForm("/settings/api-keys", cookie, form + "&name=fixed").statusCode());
        assertEquals(409, postForm("/settings/api-keys", cookie, form + "&name=fixed").statusCode());
    }

    @Test
    void an_invitation_link_names_organization_inviter_and_role_to_its_holder_only_while_it_is_pending() throws Exception {
        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Acme <Inc>");
        String email = OrganizationApiTest.email();
        var created = admin.post("/api/invitations", Api.body("email", email, "role", "org:member"));
        String token = tokenOf(created.text("acceptUrl"));

        var shown = get("/invitations/accept?token=" + enc(token), null); // not signed in
        assertEquals(200, shown.statusCode(), shown.body());
        String inviter = admin.get("/api/me").body().get("user").get("name").asText();
        assertTrue(shown.body().contains("Join Acme &lt;Inc&gt;") && shown.body().contains(inviter)
                && shown.body().contains("id=\"invitation-role\">Member<") && shown.body().contains(email), shown.body());
        assertTrue(shown.body().contains("/sign-in?email=" + enc(email) + "&amp;next="), "no way to sign in as the invitee");

        for (String wrong : List.of("", "no-such-token", token + "x", "x".repeat(5_000))) {
            var refused = get("/invitations/accept?token=" + enc(wrong), null);
            assertEquals(404, refused.statusCode(), wrong);
            assertFalse(refused.body().contains("Acme"), "an invitation shown for a wrong token");
        }
        assertEquals(204, admin.delete("/api/invitations/" + created.text("id")).status());
        var revoked = get("/invitations/accept?token=" + enc(token), null);
        assertEquals(410, revoked.statusCode());
        assertTrue(revoked.body().contains("withdrawn or declined") && !revoked.body().contains("Acme")
                && !revoked.body().contains(email), revoked.body());
    }

    // ---- post-redirect-get --------------------------------------------------------------------------------

    /**
     * The form posts whose success is a page of their own: a secret shown there once and never put in a URL or a
     * cookie, or the step that asks the browser for a passkey. A reload sends the form again, which the nonce (keys),
     * the state or a new passkey ceremony makes harmless.
     */
    private static final Map<String, Integer> OWN_PAGE = Map.of(
            "POST /settings/api-keys", 201, // the key's secret; the form's nonce makes a second submit a 409
            "POST /admin/secret-keys", 201, // the secret key's secret (a second submit makes a second key: listed, revocable)
            "POST /account/two-factor/start", 200, // the authenticator's secret and QR code
            "POST /account/two-factor/confirm", 200, // the recovery codes
            "POST /account/two-factor/recovery-codes", 200, // the new recovery codes
            "POST /account/passkeys/start", 200, // the browser's prompt for a new passkey
            "POST /account/passkeys", 200, // a first passkey's recovery codes (a later one redirects)
            "POST /sign-in/passkey/start", 200, // the browser's prompt for a passkey to sign in with
            "POST /settings/api-keys/{id}/rotate", 200, // the new secret; the key's updatedAt in the form makes a second submit a 409
            "POST /settings/webhooks/{id}/secret", 200); // the endpoint's secret; a second submit reveals it again (audited)

    /** A URL this server (without WEBHOOKS_ALLOW_PRIVATE) accepts for an endpoint: https, a public address, no DNS. */
    private static final String PUBLIC_WEBHOOK_URL = "https://1.1.1.1/orgkeys-forms";

    /**
     * An endpoint of {@code admin}'s organization at a loopback address, written straight to the database (the forms'
     * server refuses such a URL when set): its deliveries are refused by the guard, so nothing leaves this machine.
     */
    private static String webhookEndpoint(Api admin) {
        String organization = admin.get("/api/me").body().get("activeOrganizationId").asText();
        var endpoint = com.orgkeys.domain.webhook.WebhookEndpoint.create(
                java.util.Optional.of(com.orgkeys.domain.organization.OrganizationId.parse(organization)),
                com.orgkeys.domain.webhook.WebhookUrl.parse("http://127.0.0.1:9/hooks"), "forms",
                com.orgkeys.domain.webhook.EventFilter.ALL, server.clock.instant());
        try (var database = com.orgkeys.persistence.database.Database.connect(server.database, 2)) {
            StoredWebhookEndpoints.add(database.dataSource(), endpoint);
        }
        return endpoint.id().toString();
    }

    @Test
    void a_webhook_url_into_the_servers_own_network_is_refused_next_to_its_field_and_adds_nothing() throws Exception {
        Api admin = adminWithOrganization();
        Tab t = tab(admin);
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "https://127.0.0.1/hooks",
                "https://[::1]/hooks", "https://localhost/hooks")) {
            var refused = t.submit("/settings/webhooks", "url=" + enc(url) + "&enabled=true");
            assertEquals(422, refused.statusCode(), url + ": " + refused.body());
            Matcher field = Pattern.compile("<input [^>]*id=\"endpoint-url\"[^>]*>").matcher(refused.body());
            assertTrue(field.find(), refused.body());
            assertTrue(field.group().contains("aria-invalid=\"true\"") && field.group().contains(
                    "aria-describedby=\"endpoint-url-error\""), field.group());
            assertTrue(refused.body().contains("<span class=\"field-error\" id=\"endpoint-url-error\""), refused.body());
        }
        assertEquals(0, admin.get("/api/webhooks/endpoints").body().get("data").size());
    }

    /** A browser's cookie and the token of its forms. */
    @Test
    void an_api_key_is_edited_disabled_enabled_and_deleted_from_the_dashboard_with_clear_refusals() throws Exception {
        Api admin = adminWithOrganization();
        var key = admin.post("/api/api-keys", Api.body("name", "dash", "scopes", List.of("org:agents:read")));
        String id = key.text("id");
        String cookie = signedInCookie(admin);
        Tab t = tab(admin);

        var form = get("/settings/api-keys/" + id + "/edit", cookie);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("value=\"dash\""), "the form shows the key's settings");
        assertTrue(form.body().matches("(?s).*value=\"org:agents:read\" checked.*"), "its scopes checked");
        var invalid = t.submit("/settings/api-keys/" + id + "/edit", "name=&scopes=org%3Aagents%3Aread");
        assertEquals(422, invalid.statusCode());
        assertTrue(invalid.body().contains("aria-invalid=\"true\""), "the error is on its field");
        var saved = t.submit("/settings/api-keys/" + id + "/edit", "name=dash2&description=&scopes=org%3Aagents%3Amanage");
        assertEquals("/settings/api-keys?notice=key-saved", saved.headers().firstValue("Location").orElse(""));
        assertEquals(List.of("org:agents:manage"), Api.json.convertValue(admin.get("/api/api-keys/" + id).body().get("scopes"), List.class));

        t.submit("/settings/api-keys/" + id + "/disable", "");
        var list = get("/settings/api-keys?status=disabled", cookie).body();
        assertTrue(list.contains("status-disabled") && list.contains("dash2") && list.contains("/enable"), "listed as disabled");
        assertEquals(401, server.anonymous().withBearer(key.text("secret")).get("/api/whoami").status());
        var early = t.submit("/settings/api-keys/" + id + "/delete", "");
        assertEquals(409, early.statusCode(), "a disabled key is not deleted");
        assertTrue(early.body().contains("Revoke it first"));

        t.submit("/settings/api-keys/" + id + "/revoke", "reason=done");
        var confirm = get("/settings/api-keys/" + id + "/delete", cookie);
        assertEquals(200, confirm.statusCode());
        assertTrue(confirm.body().contains("cannot be undone"));
        var deleted = t.submit("/settings/api-keys/" + id + "/delete", "");
        assertEquals("/settings/api-keys?notice=key-deleted", deleted.headers().firstValue("Location").orElse(""));
        assertEquals(404, admin.get("/api/api-keys/" + id).status());
        assertEquals(409, t.submit("/settings/api-keys/" + admin.post("/api/api-keys", Api.body("name", "x")).text("id")
                + "/delete", "").statusCode());
    }

    @Test
    void an_api_key_is_rotated_from_the_dashboard_once_per_form_and_its_old_secret_works_for_the_grace_period() throws Exception {
        Api admin = adminWithOrganization();
        var key = admin.post("/api/api-keys", Api.body("name", "rot", "scopes", List.of("org:agents:read")));
        String id = key.text("id");
        String cookie = signedInCookie(admin);
        Tab t = tab(admin);
        assertTrue(get("/settings/api-keys", cookie).body().contains("/settings/api-keys/" + id + "/rotate"), "listed");

        var form = get("/settings/api-keys/" + id + "/rotate", cookie);
        assertEquals(200, form.statusCode());
        Matcher seen = Pattern.compile("name=\"seen\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(seen.find(), form.body());
        var unchosen = t.submit("/settings/api-keys/" + id + "/rotate", "seen=" + enc(seen.group(1)));
        assertEquals(422, unchosen.statusCode(), "no grace period chosen: asked, not guessed");
        assertTrue(unchosen.body().contains("aria-invalid") || unchosen.body().contains("choose how long"));

        String fields = "grace=86400&seen=" + enc(seen.group(1));
        var rotated = t.submit("/settings/api-keys/" + id + "/rotate", fields);
        assertEquals(200, rotated.statusCode());
        Matcher secret = Pattern.compile("id=\"secret\">(ok_[0-9A-Za-z]{49})<").matcher(rotated.body());
        assertTrue(secret.find(), rotated.body());
        assertEquals(200, server.anonymous().withBearer(secret.group(1)).get("/api/whoami").status());
        assertEquals(200, server.anonymous().withBearer(key.text("secret")).get("/api/whoami").status(), "grace period");

        var again = t.submit("/settings/api-keys/" + id + "/rotate", fields); // a reload
        assertEquals(409, again.statusCode(), "the same form never rotates twice");
        assertEquals(200, server.anonymous().withBearer(key.text("secret")).get("/api/whoami").status(),
                "the first secret still in its grace period");
        assertEquals(200, server.anonymous().withBearer(secret.group(1)).get("/api/whoami").status());
    }

    /** Issue 25: a key's IP allowlist from its page, one range per line, each bad line named by its number. */
    @Test
    void a_keys_allowlist_is_set_from_its_page_and_each_bad_line_is_named_by_its_number() throws Exception {
        Api admin = adminWithOrganization();
        var key = admin.post("/api/api-keys", Api.body("name", "fenced"));
        String id = key.text("id");
        String cookie = signedInCookie(admin);
        Tab t = tab(admin);
        Api program = server.anonymous().withBearer(key.text("secret"));
        var page = get("/settings/api-keys/" + id, cookie);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("action=\"/settings/api-keys/" + id + "/allowlist\"")
                && page.body().contains("id=\"allowlist-summary\">Any address"), page.body());

        var refused = t.submit("/settings/api-keys/" + id + "/allowlist", "allowlist="
                + enc("192.0.2.0/24\n\n10.0.0.300\r\n2001:db8::1/32\n  198.51.100.7  \n"));
        assertEquals(422, refused.statusCode());
        String body = refused.body();
        assertTrue(body.contains("2 lines need fixing") && body.contains("Line 3: '10.0.0.300' is not an IP address")
                && body.contains("Line 4: '2001:db8::1/32' has bits set after the prefix; did you mean 2001:db8::/32?"), body);
        assertTrue(body.contains("id=\"key-allowlist\"") && body.contains("aria-invalid=\"true\"")
                && body.contains("key-allowlist-error"), "the errors are tied to the textarea");
        assertTrue(body.contains("10.0.0.300"), "what was typed is kept");
        assertEquals(0, admin.get("/api/api-keys/" + id).body().get("allowlist").size(), "a refused form changes nothing");

        String tooMany = String.join("\n", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "10." + i + ".0.0/16").toList());
        var long_ = t.submit("/settings/api-keys/" + id + "/allowlist", "allowlist=" + enc(tooMany));
        assertEquals(422, long_.statusCode());
        assertTrue(long_.body().contains("At most 100 ranges; you entered 101."), long_.body());

        var saved = t.submit("/settings/api-keys/" + id + "/allowlist", "allowlist=" + enc("192.0.2.0/24\n\n2001:db8::/32\n"));
        assertEquals(303, saved.statusCode(), saved.body());
        assertEquals("/settings/api-keys/" + id + "?notice=allowlist-saved", saved.headers().firstValue("Location").orElse(""));
        assertEquals(List.of("192.0.2.0/24", "2001:db8::/32"),
                Api.json.convertValue(admin.get("/api/api-keys/" + id).body().get("allowlist"), List.class));
        assertEquals(403, program.get("/api/whoami").status(), "this test's address is not on the list");
        var shown = get("/settings/api-keys/" + id + "?notice=allowlist-saved", cookie).body();
        assertTrue(shown.contains("IP allowlist saved") && shown.contains("2 ranges: <code class=\"chip\">192.0.2.0/24</code>")
                && shown.contains(">192.0.2.0/24\n2001:db8::/32</textarea>"), shown);

        assertEquals(303, t.submit("/settings/api-keys/" + id + "/allowlist", "allowlist=" + enc("127.0.0.1\n::1")).statusCode());
        assertEquals(200, program.get("/api/whoami").status());
        assertEquals(303, t.submit("/settings/api-keys/" + id + "/allowlist", "allowlist=").statusCode());
        assertEquals(0, admin.get("/api/api-keys/" + id).body().get("allowlist").size(), "empty: any address");
    }

    /** Issue 25: a key's own rate limit, the organization's default, and which of them applies, from the pages. */
    @Test
    void rate_limits_are_set_per_key_and_as_the_organizations_default_and_the_page_says_which_applies() throws Exception {
        Api admin = adminWithOrganization();
        var key = admin.post("/api/api-keys", Api.body("name", "limited"));
        String id = key.text("id");
        String cookie = signedInCookie(admin);
        Tab t = tab(admin);
        String detail = "/settings/api-keys/" + id;
        assertTrue(get(detail, cookie).body().contains("None: neither this key nor the organization has a rate limit."));

        var invalid = t.submit(detail + "/rate-limit", "requests=lots&windowSeconds=");
        assertEquals(422, invalid.statusCode());
        assertTrue(invalid.body().contains("id=\"rate-limit-requests-error\" data-for=\"rate-limit-requests\">must be a whole number")
                && invalid.body().contains("id=\"rate-limit-window-error\" data-for=\"rate-limit-window\">is required"), invalid.body());
        var outOfRange = t.submit(detail + "/rate-limit", "requests=0&windowSeconds=99999999999");
        assertEquals(422, outOfRange.statusCode());
        assertTrue(outOfRange.body().contains("must be 1–1000000000") && outOfRange.body().contains("must be 1–86400"), outOfRange.body());
        assertTrue(admin.get("/api/api-keys/" + id).body().get("rateLimit").isNull(), "a refused form changes nothing");

        var saved = t.submit(detail + "/rate-limit", "requests=2&windowSeconds=86400");
        assertEquals(detail + "?notice=rate-limit-saved", saved.headers().firstValue("Location").orElse(""));
        assertTrue(get(detail, cookie).body().contains("2 requests per day: this key's own limit<"));
        Api program = server.anonymous().withBearer(key.text("secret"));
        assertEquals(200, program.get("/api/whoami").status());
        assertEquals(200, program.get("/api/whoami").status());
        assertEquals(429, program.get("/api/whoami").status());

        var defaulted = t.submit("/settings/api-keys/default-rate-limit", "requests=1%2C000&windowSeconds=60");
        assertEquals("/settings/api-keys?notice=default-rate-limit-saved", defaulted.headers().firstValue("Location").orElse(""));
        assertEquals(Map.of("requests", 1000, "windowSeconds", 60),
                Api.json.convertValue(admin.get("/api/organization/api-key-defaults").body().get("rateLimit"), Map.class));
        var list = get("/settings/api-keys", cookie).body();
        assertTrue(list.contains("<strong>1,000 requests per minute</strong>") && list.contains("id=\"remove-default-rate-limit\""), list);
        assertTrue(get(detail, cookie).body().contains("2 requests per day: this key's own limit (instead of the "
                + "organization's default, 1,000 requests per minute)"));

        assertEquals(detail + "?notice=rate-limit-removed",
                t.submit(detail + "/rate-limit/remove", "").headers().firstValue("Location").orElse(""));
        var fallen = get(detail, cookie).body();
        assertTrue(fallen.contains("1,000 requests per minute: the organization's default (this key has no limit of its own)")
                && !fallen.contains("id=\"remove-rate-limit\""), fallen);
        assertEquals(200, program.get("/api/whoami").status(), "the default's budget, not the key's spent one");

        var badDefault = t.submit("/settings/api-keys/default-rate-limit", "requests=&windowSeconds=86401");
        assertEquals(422, badDefault.statusCode());
        assertTrue(badDefault.body().contains("data-for=\"default-requests\">is required")
                && badDefault.body().contains("id=\"default-window\" min=\"1\" max=\"86400\" inputmode=\"numeric\" value=\"86401\""),
                "the error on its field, what was typed kept: " + badDefault.body());
        var tooLong = t.submit("/settings/api-keys/default-rate-limit", "requests=10&windowSeconds=86401");
        assertTrue(tooLong.statusCode() == 422 && tooLong.body().contains("data-for=\"default-window\">must be 1–86400"), tooLong.body());
        assertEquals(1000, admin.get("/api/organization/api-key-defaults").body().get("rateLimit").get("requests").asInt());
        assertEquals("/settings/api-keys?notice=default-rate-limit-removed",
                t.submit("/settings/api-keys/default-rate-limit/remove", "").headers().firstValue("Location").orElse(""));
        assertTrue(admin.get("/api/organization/api-key-defaults").body().get("rateLimit").isNull());
        assertTrue(get(detail, cookie).body().contains("None: neither this key nor the organization has a rate limit."));
    }

    /** Reading keys is not managing them: the traffic forms are neither shown nor accepted, and a finished key has none. */
    @Test
    void a_member_who_may_only_read_keys_sees_their_traffic_controls_but_cannot_change_them() throws Exception {
        Api admin = adminWithOrganization();
        assertEquals(201, admin.post("/api/roles", Api.body("key", "org:auditor", "name", "Auditor",
                "permissions", List.of("org:sys_api_keys:read"))).status());
        String email = OrganizationApiTest.email();
        Api reader = server.signUp(email);
        OrganizationApiTest.invite(admin, reader, email, "org:auditor");
        var key = admin.post("/api/api-keys", Api.body("name", "watched"));
        String id = key.text("id");
        assertEquals(200, admin.put("/api/api-keys/" + id + "/rate-limit", Api.body("requests", 5, "windowSeconds", 60)).status());

        var page = get("/settings/api-keys/" + id, signedInCookie(reader));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("5 requests per minute: this key's own limit"), page.body());
        assertFalse(page.body().contains("/rate-limit\"") || page.body().contains("/allowlist\""), "no traffic forms for a reader");
        var list = get("/settings/api-keys", signedInCookie(reader)).body();
        assertTrue(list.contains("id=\"default-rate-limit-summary\"") && !list.contains("default-rate-limit-form"), list);

        Tab t = tab(reader);
        for (String[] attempt : new String[][]{{"/settings/api-keys/" + id + "/allowlist", "allowlist=192.0.2.1"},
                {"/settings/api-keys/" + id + "/rate-limit", "requests=1000&windowSeconds=1"},
                {"/settings/api-keys/" + id + "/rate-limit/remove", ""},
                {"/settings/api-keys/default-rate-limit", "requests=1&windowSeconds=86400"},
                {"/settings/api-keys/default-rate-limit/remove", ""}}) {
            assertEquals(403, t.submit(attempt[0], attempt[1]).statusCode(), attempt[0]);
        }
        var unchanged = admin.get("/api/api-keys/" + id).body();
        assertEquals(5, unchanged.get("rateLimit").get("requests").asInt());
        assertEquals(0, unchanged.get("allowlist").size());
        assertTrue(admin.get("/api/organization/api-key-defaults").body().get("rateLimit").isNull());

        admin.post("/api/api-keys/" + id + "/revoke", null);
        var revoked = get("/settings/api-keys/" + id, signedInCookie(admin)).body();
        assertTrue(revoked.contains("id=\"rate-limit-applies\"") && !revoked.contains("/allowlist\""), "a revoked key has no forms");
        assertEquals(409, tab(admin).submit("/settings/api-keys/" + id + "/allowlist", "allowlist=192.0.2.1").statusCode());
    }

    private record Tab(String cookie, String csrf) {
        HttpResponse<String> submit(String path, String fields) throws Exception {
            return postForm(path, cookie, "_csrf=" + enc(csrf) + (fields.isEmpty() ? "" : "&" + fields));
        }
    }

    private static Tab anonymousTab() throws Exception {
        var page = get("/sign-in", null);
        return new Tab(cookiePair(page, "orgkeys_form"), token(page.body()));
    }

    private static Tab tab(Api user) throws Exception {
        String cookie = signedInCookie(user);
        return new Tab(cookie, token(get("/account", cookie).body()));
    }

    @FunctionalInterface
    private interface Success {
        HttpResponse<String> submit() throws Exception;
    }

    private static String password(String email) {
        return enc("correct horse battery " + email); // as TestServer signs users up
    }

    /** The token of the newest invitation link for a new address, made by {@code admin} through the API. */
    private static String invitationToken(Api admin, String email) {
        String url = admin.post("/api/invitations", Api.body("email", email, "role", "org:member")).text("acceptUrl");
        return java.net.URLDecoder.decode(url.substring(url.indexOf("token=") + 6), StandardCharsets.UTF_8);
    }

    private static <M extends com.orgkeys.application.mail.port.out.Mail> M awaitMail(Class<M> type, String email) {
        return server.mailer.await(type, m -> m.to().value().equals(email), Duration.ofSeconds(20));
    }

    private static String tokenOf(String url) {
        return java.net.URLDecoder.decode(url.substring(url.indexOf("token=") + 6), StandardCharsets.UTF_8);
    }

    private static SoftwarePasskey newPasskey() {
        return new SoftwarePasskey(server.app.origin().toString());
    }

    /** A passkey added through the pages, answered by {@code key} where passkeys.js would ask the browser (a user's first: 200, its recovery codes). */
    private static HttpResponse<String> addPasskey(Tab t, SoftwarePasskey key) throws Exception {
        var prompt = t.submit("/account/passkeys/start", "name=laptop");
        assertEquals(200, prompt.statusCode(), prompt.body());
        return t.submit("/account/passkeys", "ceremonyId=" + ceremonyOf(prompt.body()) + "&name=laptop&credential="
                + enc(key.create(PasskeyDashboardHttpTest.options(prompt.body())).toString()));
    }

    private static String ceremonyOf(String html) {
        Matcher ceremony = Pattern.compile("name=\"ceremonyId\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(ceremony.find(), html);
        return ceremony.group(1);
    }

    /** Two-factor sign-in turned on for {@code user} through the pages; one of the recovery codes it shows. */
    private static String twoFactorOn(Api user) throws Exception {
        Tab t = tab(user);
        var started = t.submit("/account/two-factor/start", "");
        Matcher secret = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(started.body());
        assertTrue(secret.find(), started.body());
        var key = AuthenticatorApp.keyFromSecret(secret.group(1));
        var confirmed = t.submit("/account/two-factor/confirm", "code=" + AuthenticatorApp.code(key, server.clock.instant()));
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        return TwoFactorDashboardHttpTest.codes(confirmed.body()).getFirst();
    }

    /**
     * Every dashboard form (the router's list of them), sent as a user would with everything right, answers 303 See
     * Other to a page that GETs: a reload shows that page again and sends nothing. The only exceptions show a secret
     * once or ask for a passkey ({@link #OWN_PAGE}). A new form without a case here fails this test.
     */
    @Test
    void every_dashboard_form_that_succeeds_answers_with_a_redirect_so_a_reload_sends_nothing_again() throws Exception {
        Map<String, Success> cases = new java.util.TreeMap<>();
        cases.put("POST /sign-up", () -> anonymousTab().submit("/sign-up", "name=Prg&email=" + enc(OrganizationApiTest.email())
                + "&password=" + enc("correct horse battery staple")));
        cases.put("POST /sign-in", () -> {
            String email = OrganizationApiTest.email();
            server.signUp(email);
            return anonymousTab().submit("/sign-in", "email=" + enc(email) + "&password=" + password(email));
        });
        cases.put("POST /sign-in/second-factor", () -> {
            String email = OrganizationApiTest.email();
            String recoveryCode = twoFactorOn(server.signUp(email));
            Tab t = anonymousTab();
            String next = "/invitations/accept?token=kept";
            var asked = t.submit("/sign-in", "email=" + enc(email) + "&password=" + password(email) + "&next=" + enc(next));
            assertEquals(200, asked.statusCode(), "the second step is a page, no session yet");
            Matcher pending = Pattern.compile("name=\"signInToken\" value=\"([^\"]+)\"").matcher(asked.body());
            assertTrue(pending.find(), asked.body());
            // a recovery code: the app's current code was spent on turning two-factor on (and the clock is everyone's)
            var done = t.submit("/sign-in/second-factor", "signInToken=" + enc(pending.group(1)) + "&next=" + enc(next)
                    + "&code=" + enc(recoveryCode));
            assertEquals(next, done.headers().firstValue("Location").orElse(""), "the way back lost at the second step");
            return done;
        });
        cases.put("POST /sign-out", () -> tab(server.signUp(OrganizationApiTest.email())).submit("/sign-out", ""));
        cases.put("POST /sessions/{id}/revoke", () -> {
            String email = OrganizationApiTest.email();
            Api user = server.signUp(email);
            assertEquals(200, server.anonymous().post("/api/auth/sign-in", Api.body("email", email, "password",
                    "correct horse battery " + email)).status());
            String other = null;
            for (var session : user.get("/api/sessions").body().get("data")) {
                if (!session.get("current").asBoolean()) other = session.get("id").asText();
            }
            return tab(user).submit("/sessions/" + other + "/revoke", "");
        });
        cases.put("POST /organizations/new", () -> tab(server.signUp(OrganizationApiTest.email())).submit("/organizations/new", "name=Prg"));
        cases.put("POST /organizations/switch", () -> {
            Api admin = adminWithOrganization();
            String first = admin.get("/api/me").body().get("activeOrganizationId").asText();
            OrganizationApiTest.createOrganization(admin, "Second");
            return tab(admin).submit("/organizations/switch", "organizationId=" + first);
        });
        for (String answer : List.of("accept", "decline")) {
            cases.put("POST /invitations/" + answer, () -> {
                String email = OrganizationApiTest.email();
                String token = invitationToken(adminWithOrganization(), email);
                return tab(server.signUp(email)).submit("/invitations/" + answer, "token=" + enc(token));
            });
        }
        cases.put("POST /invitations/switch-account", () -> {
            Api admin = adminWithOrganization();
            String email = OrganizationApiTest.email();
            var switched = tab(admin).submit("/invitations/switch-account", "token=" + enc(invitationToken(admin, email)));
            assertTrue(switched.headers().firstValue("Location").orElse("").startsWith("/sign-in?email=" + enc(email) + "&next="));
            return switched;
        });
        cases.put("POST /verify-email", () -> {
            String email = OrganizationApiTest.email();
            Api user = server.signUpUnverified(email);
            return tab(user).submit("/verify-email", "code=" + server.awaitRecordedVerification(email).code());
        });
        cases.put("POST /verify-email/resend", () -> tab(server.signUpUnverified(OrganizationApiTest.email())).submit("/verify-email/resend", ""));
        cases.put("POST /forgot-password", () -> anonymousTab().submit("/forgot-password", "email=" + enc(OrganizationApiTest.email())));
        cases.put("POST /reset-password", () -> {
            String email = OrganizationApiTest.email();
            server.signUp(email);
            Tab t = anonymousTab();
            assertEquals(303, t.submit("/forgot-password", "email=" + enc(email)).statusCode());
            String token = tokenOf(awaitMail(com.orgkeys.application.mail.port.out.PasswordResetMail.class, email).resetUrl());
            return t.submit("/reset-password", "token=" + enc(token) + "&password=" + enc("another horse battery staple"));
        });
        cases.put("POST /sign-in/email", () -> anonymousTab().submit("/sign-in/email", "email=" + enc(OrganizationApiTest.email())));
        for (String way : List.of("code", "link")) {
            cases.put("POST /sign-in/" + way, () -> {
                String email = OrganizationApiTest.email();
                server.signUp(email);
                Tab t = anonymousTab();
                assertEquals(303, t.submit("/sign-in/email", "email=" + enc(email)).statusCode());
                var mail = awaitMail(com.orgkeys.application.mail.port.out.SignInMail.class, email);
                return way.equals("code") ? t.submit("/sign-in/code", "email=" + enc(email) + "&code=" + mail.code())
                        : t.submit("/sign-in/link", "token=" + enc(tokenOf(mail.signInUrl())));
            });
        }
        cases.put("POST /account/name", () -> tab(server.signUp(OrganizationApiTest.email())).submit("/account/name", "name=Renamed"));
        cases.put("POST /account/password", () -> {
            String email = OrganizationApiTest.email();
            return tab(server.signUp(email)).submit("/account/password", "currentPassword=" + password(email)
                    + "&newPassword=" + enc("another horse battery staple"));
        });
        cases.put("POST /account/email", () -> {
            String email = OrganizationApiTest.email();
            return tab(server.signUp(email)).submit("/account/email", "newEmail=" + enc(OrganizationApiTest.email())
                    + "&currentPassword=" + password(email));
        });
        cases.put("POST /account/email/confirm", () -> {
            String email = OrganizationApiTest.email();
            String newEmail = OrganizationApiTest.email();
            Tab t = tab(server.signUp(email));
            assertEquals(303, t.submit("/account/email", "newEmail=" + enc(newEmail) + "&currentPassword=" + password(email)).statusCode());
            String token = tokenOf(awaitMail(com.orgkeys.application.mail.port.out.EmailChangeMail.class, newEmail).confirmUrl());
            return t.submit("/account/email/confirm", "token=" + enc(token));
        });
        cases.put("POST /account/two-factor/start", () -> tab(server.signUp(OrganizationApiTest.email())).submit("/account/two-factor/start", ""));
        cases.put("POST /account/two-factor/confirm", () -> {
            Tab t = tab(server.signUp(OrganizationApiTest.email()));
            Matcher secret = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(t.submit("/account/two-factor/start", "").body());
            assertTrue(secret.find());
            return t.submit("/account/two-factor/confirm", "code="
                    + AuthenticatorApp.code(AuthenticatorApp.keyFromSecret(secret.group(1)), server.clock.instant()));
        });
        for (String change : List.of("recovery-codes", "disable")) {
            cases.put("POST /account/two-factor/" + change, () -> {
                String email = OrganizationApiTest.email();
                Api user = server.signUp(email);
                twoFactorOn(user);
                return tab(user).submit("/account/two-factor/" + change, "currentPassword=" + password(email));
            });
        }
        cases.put("POST /account/passkeys/start", () -> tab(server.signUp(OrganizationApiTest.email()))
                .submit("/account/passkeys/start", "name=laptop"));
        cases.put("POST /account/passkeys", () -> addPasskey(tab(server.signUp(OrganizationApiTest.email())), newPasskey()));
        for (String change : List.of("rename", "remove")) {
            cases.put("POST /account/passkeys/{id}/" + change, () -> {
                String email = OrganizationApiTest.email();
                Api user = server.signUp(email);
                Tab t = tab(user);
                assertEquals(200, addPasskey(t, newPasskey()).statusCode());
                String id = user.get("/api/account/passkeys").body().get("data").get(0).get("id").asText();
                return t.submit("/account/passkeys/" + id + "/" + change, "name=desk&currentPassword=" + password(email));
            });
        }
        cases.put("POST /sign-in/passkey/start", () -> anonymousTab().submit("/sign-in/passkey/start", "next="));
        cases.put("POST /sign-in/passkey", () -> {
            SoftwarePasskey key = newPasskey();
            assertEquals(200, addPasskey(tab(server.signUp(OrganizationApiTest.email())), key).statusCode());
            Tab t = anonymousTab();
            var prompt = t.submit("/sign-in/passkey/start", "next=");
            return t.submit("/sign-in/passkey", "next=%2Fagents&ceremonyId=" + ceremonyOf(prompt.body())
                    + "&credential=" + enc(key.get(PasskeyDashboardHttpTest.options(prompt.body())).toString()));
        });
        cases.put("POST /sign-in/second-factor/passkey", () -> {
            String email = OrganizationApiTest.email();
            SoftwarePasskey key = newPasskey();
            assertEquals(200, addPasskey(tab(server.signUp(email)), key).statusCode());
            Tab t = anonymousTab();
            var asked = t.submit("/sign-in", "email=" + enc(email) + "&password=" + password(email));
            Matcher pending = Pattern.compile("name=\"signInToken\" value=\"([^\"]+)\"").matcher(asked.body());
            assertTrue(pending.find(), asked.body());
            return t.submit("/sign-in/second-factor/passkey", "signInToken=" + enc(pending.group(1))
                    + "&next=%2F&app=false&ceremonyId=" + ceremonyOf(asked.body())
                    + "&credential=" + enc(key.get(PasskeyDashboardHttpTest.options(asked.body())).toString()));
        });
        cases.put("POST /settings", () -> tab(adminWithOrganization()).submit("/settings", "name=Renamed&slug=renamed-" + System.nanoTime()));
        cases.put("POST /settings/two-factor", () -> tab(adminWithOrganization()).submit("/settings/two-factor", "required=false"));
        cases.put("POST /settings/delete", () -> tab(adminWithOrganization()).submit("/settings/delete", "confirmName=Forms"));
        cases.put("POST /settings/members/invite", () -> tab(adminWithOrganization()).submit("/settings/members/invite",
                "email=" + enc(OrganizationApiTest.email()) + "&role=org%3Amember"));
        for (String change : List.of("role", "remove")) {
            cases.put("POST /settings/members/{userId}/" + change, () -> {
                Api admin = adminWithOrganization();
                String email = OrganizationApiTest.email();
                Api member = server.signUp(email);
                OrganizationApiTest.invite(admin, member, email, "org:member");
                return tab(admin).submit("/settings/members/" + OrganizationApiTest.userId(member) + "/" + change,
                        "role=org%3Aadmin");
            });
        }
        cases.put("POST /settings/invitations/{id}/revoke", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/invitations", Api.body("email", OrganizationApiTest.email(), "role", "org:member")).text("id");
            return tab(admin).submit("/settings/invitations/" + id + "/revoke", "");
        });
        cases.put("POST /settings/roles", () -> tab(adminWithOrganization()).submit("/settings/roles",
                "key=org%3Abilling&name=Billing&permissions=org%3Aagents%3Aread"));
        for (String path : List.of("", "/delete")) {
            cases.put("POST /settings/roles/{key}" + path, () -> {
                Api admin = adminWithOrganization();
                assertEquals(201, admin.post("/api/roles", Api.body("key", "org:billing", "name", "Billing",
                        "permissions", List.of("org:agents:read"))).status());
                return tab(admin).submit("/settings/roles/org:billing" + path, "name=Billing2&permissions=org%3Aagents%3Aread");
            });
        }
        cases.put("POST /agents", () -> tab(adminWithOrganization()).submit("/agents", "name=prg&model=m&description=d"));
        cases.put("POST /agents/{id}/delete", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/agents", Api.body("name", "prg", "model", "m")).text("id");
            return tab(admin).submit("/agents/" + id + "/delete", "");
        });
        cases.put("POST /settings/api-keys", () -> createKey(adminWithOrganization(), "expiry=never"));
        cases.put("POST /admin/secret-keys", () -> tab(formsAdmin()).submit("/admin/secret-keys",
                "name=prg&currentPassword=" + password(FORMS_ADMIN)));
        cases.put("POST /admin/secret-keys/{id}/revoke", () -> {
            String id = SecretKeys.create(server, "prg").id();
            return tab(formsAdmin()).submit("/admin/secret-keys/" + id + "/revoke", "");
        });
        cases.put("POST /settings/api-keys/{id}/revoke", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
            return tab(admin).submit("/settings/api-keys/" + id + "/revoke", "reason=rotated");
        });
        cases.put("POST /settings/api-keys/{id}/rotate", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
            return tab(admin).submit("/settings/api-keys/" + id + "/rotate", "grace=3600&seen="
                    + enc(admin.get("/api/api-keys/" + id).text("updatedAt")));
        });
        cases.put("POST /settings/api-keys/{id}/edit", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
            return tab(admin).submit("/settings/api-keys/" + id + "/edit", "name=renamed&description=d&scopes=org%3Aagents%3Aread");
        });
        for (String change : List.of("disable", "enable")) {
            cases.put("POST /settings/api-keys/{id}/" + change, () -> {
                Api admin = adminWithOrganization();
                String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
                if (change.equals("enable")) admin.post("/api/api-keys/" + id + "/disable", null);
                return tab(admin).submit("/settings/api-keys/" + id + "/" + change, "");
            });
        }
        cases.put("POST /settings/api-keys/{id}/allowlist", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
            return tab(admin).submit("/settings/api-keys/" + id + "/allowlist", "allowlist=" + enc("192.0.2.0/24\n2001:db8::/32"));
        });
        for (String path : List.of("", "/remove")) {
            cases.put("POST /settings/api-keys/{id}/rate-limit" + path, () -> {
                Api admin = adminWithOrganization();
                String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
                admin.put("/api/api-keys/" + id + "/rate-limit", Api.body("requests", 10, "windowSeconds", 60));
                return tab(admin).submit("/settings/api-keys/" + id + "/rate-limit" + path, "requests=100&windowSeconds=60");
            });
            cases.put("POST /settings/api-keys/default-rate-limit" + path, () -> tab(adminWithOrganization())
                    .submit("/settings/api-keys/default-rate-limit" + path, "requests=100&windowSeconds=60"));
        }
        cases.put("POST /settings/api-keys/{id}/delete", () -> {
            Api admin = adminWithOrganization();
            String id = admin.post("/api/api-keys", Api.body("name", "prg")).text("id");
            admin.post("/api/api-keys/" + id + "/revoke", null);
            return tab(admin).submit("/settings/api-keys/" + id + "/delete", "");
        });
        cases.put("POST /settings/webhooks", () -> tab(adminWithOrganization()).submit("/settings/webhooks",
                "url=" + enc(PUBLIC_WEBHOOK_URL) + "&description=prg&eventTypes=apiKey.created&enabled=true"));
        cases.put("POST /settings/webhooks/{id}/edit", () -> {
            Api admin = adminWithOrganization();
            return tab(admin).submit("/settings/webhooks/" + webhookEndpoint(admin) + "/edit",
                    "url=" + enc(PUBLIC_WEBHOOK_URL) + "&description=renamed&enabled=true");
        });
        for (String change : List.of("disable", "enable", "delete", "test", "rotate-secret", "secret")) {
            cases.put("POST /settings/webhooks/{id}/" + change, () -> {
                Api admin = adminWithOrganization();
                String id = webhookEndpoint(admin);
                if (change.equals("enable")) admin.patch("/api/webhooks/endpoints/" + id, Api.body("enabled", false));
                return tab(admin).submit("/settings/webhooks/" + id + "/" + change, "");
            });
        }
        cases.put("POST /settings/webhooks/{id}/messages/{messageId}/replay", () -> {
            Api admin = adminWithOrganization();
            String id = webhookEndpoint(admin);
            String message = admin.post("/api/webhooks/endpoints/" + id + "/test", null).text("messageId");
            return tab(admin).submit("/settings/webhooks/" + id + "/messages/" + message + "/replay", "");
        });

        Set<String> forms = new java.util.TreeSet<>();
        for (var route : server.app.router().routes()) {
            // the JSON APIs (ours, and the backend API in Clerk's shapes) are not forms, nor is RFC 7662's
            // introspection (a form body, but for programs with a backend secret key, not a dashboard page)
            boolean api = route.pattern().startsWith("/api/") || route.pattern().startsWith("/v1/")
                    || route.pattern().startsWith("/api_keys") || route.pattern().startsWith("/oauth/");
            if (route.method().equals("POST") && !api) forms.add("POST " + route.pattern());
        }
        assertEquals(forms, cases.keySet(), "every dashboard form has a success case here, and only those");
        Map<String, Integer> expected = new java.util.TreeMap<>();
        Map<String, String> answers = new java.util.TreeMap<>();
        for (var c : cases.entrySet()) {
            expected.put(c.getKey(), OWN_PAGE.getOrDefault(c.getKey(), 303));
            var response = c.getValue().submit();
            String text = response.body().replaceAll("(?s).*<main[^>]*>", "").replaceAll("<[^>]+>", " ")
                    .replaceAll("\\s+", " ").strip();
            answers.put(c.getKey(), response.statusCode() + " " + text.substring(0, Math.min(200, text.length())));
        }
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        answers.forEach((route, answer) -> statuses.put(route, Integer.parseInt(answer.substring(0, 3))));
        assertEquals(expected, statuses, answers.toString());
    }
}
