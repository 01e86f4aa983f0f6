package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard in real headless Chromium against the whole application on a fresh database. */
class DashboardBrowserTest {
    static TestServer server;
    static Browser browser;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        browser = new Browser(server.origin());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    private static final java.util.concurrent.atomic.AtomicInteger tests = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void freshBrowserSession() {
        browser.open("/static/app.css");
        browser.driver.manage().deleteAllCookies();
        // each test from an address of its own: together they sign up more users than one address may
        int n = tests.incrementAndGet();
        browser.comeFrom("198.19." + (n / 250 % 250) + "." + (n % 250 + 1));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void signUp(Browser b, String name, String email) {
        b.open("/sign-up");
        b.type("#name", name);
        b.type("#email", email);
        b.type("#password", "correct horse battery staple");
        b.click("#sign-up");
    }

    /** Enters the code of the verification mail to {@code email} on the verify page, as its owner would. */
    private static void verifyEmail(Browser b, String email) {
        b.open("/verify-email");
        b.type("#verification-code", server.awaitRecordedVerification(email).code());
        b.click("#confirm-code");
    }

    private static void createOrganization(Browser b, String name) {
        b.open("/organizations/new");
        b.type("#org-name", name);
        b.click("#create-org");
        b.waitForPath("/settings");
    }

    /** A new user with a new organization, signed in in {@code b}. */
    private static String adminWithOrganization(Browser b, String orgName) {
        String email = unique("admin") + "@example.com";
        signUp(b, "Admin", email);
        b.waitForPath("/organizations/new");
        verifyEmail(b, email);
        b.waitForText("#notice", "Your email is confirmed.");
        createOrganization(b, orgName);
        return email;
    }

    @Test
    void sign_up_leads_to_creating_an_organization_whose_name_is_shown_escaped() {
        signUp(browser, "Ada", unique("ada") + "@example.com");
        browser.waitForPath("/organizations/new");
        browser.waitForText("#verify-email-banner", "Verify your email address"); // an unverified user may go on
        browser.check("create-organization");
        browser.type("#org-name", "Acme <b>bold</b> & \"co\"");
        browser.click("#create-org");
        browser.waitForPath("/settings");
        browser.waitForText("#notice", "Organization created.");
        Select switcher = new Select(browser.find("#org-switch"));
        assertEquals("Acme <b>bold</b> & \"co\"", switcher.getFirstSelectedOption().getText());
        assertEquals("Acme <b>bold</b> & \"co\"", browser.find("#settings-name").getAttribute("value"));
        assertTrue(browser.driver.findElements(By.cssSelector("header b, main b")).isEmpty(), "markup was not escaped");
        browser.check("settings-general");
    }

    @Test
    void sign_up_form_shows_field_errors_next_to_the_fields() {
        browser.open("/sign-up");
        browser.type("#name", "Short");
        browser.type("#email", unique("short") + "@example.com");
        browser.type("#password", "short");
        browser.click("#sign-up");
        browser.find(".field-error");
        assertEquals("/sign-up", browser.path());
        List<WebElement> errors = browser.driver.findElements(By.cssSelector(".field-error"));
        assertFalse(errors.isEmpty(), "no field errors shown");
        // each error is tied to its field, and the first invalid field has the focus
        for (WebElement error : errors) {
            WebElement field = browser.driver.findElement(By.id(error.getAttribute("data-for")));
            assertEquals("true", field.getAttribute("aria-invalid"), error.getText());
            assertTrue(List.of(field.getAttribute("aria-describedby").split(" ")).contains(error.getAttribute("id")),
                    field.getAttribute("aria-describedby"));
        }
        assertEquals(errors.get(0).getAttribute("data-for"), js("return document.activeElement.id;"));
        browser.check("sign-up-errors");
    }

    @Test
    void organization_switcher_changes_the_active_organization() {
        String first = unique("First");
        String second = unique("Second");
        adminWithOrganization(browser, first);
        createOrganization(browser, second);
        assertEquals(second, new Select(browser.find("#org-switch")).getFirstSelectedOption().getText());
        // A keyboard user moving through the list with the arrow keys has not chosen yet: nothing is submitted.
        ((JavascriptExecutor) browser.driver).executeScript("window.submitted = 0; document.addEventListener("
                + "'submit', function (e) { window.submitted++; e.preventDefault(); }, true);");
        browser.find("#org-switch").sendKeys(Keys.ARROW_DOWN);
        browser.find("#org-switch").sendKeys(Keys.ARROW_UP);
        assertEquals(0L, ((JavascriptExecutor) browser.driver).executeScript("return window.submitted;"),
                "an arrow key switched the organization");
        browser.open(browser.path());
        new Select(browser.find("#org-switch")).selectByVisibleText(first);
        browser.click("#switch-org");
        browser.waitForText("#notice", "Switched organization.");
        assertEquals(first, new Select(browser.find("#org-switch")).getFirstSelectedOption().getText());
        browser.check("agents-after-switch");
    }

    @Test
    void an_invited_member_accepts_in_another_browser_and_sees_only_their_own_api_keys() {
        String org = unique("Invite");
        adminWithOrganization(browser, org);
        browser.open("/settings/api-keys/new"); // the organization's key, which the member must not see
        browser.type("#key-name", "the organization's");
        browser.click("#create-key");
        browser.find("#secret");
        String inviteeEmail = unique("bob") + "@example.com";
        browser.open("/settings/members");
        browser.type("#invite-email", inviteeEmail);
        new Select(browser.find("#invite-role")).selectByValue("org:member");
        browser.click("#invite");
        String link = browser.find("#invitation-link").getText();
        assertTrue(link.contains("/invitations/accept?token="), link);
        browser.check("members-invited");
        // The answer was a redirect: the address is a GET without the token, and a reload sends nothing again.
        assertEquals("/settings/members?notice=invited", browser.path());
        browser.driver.navigate().refresh();
        browser.waitForText("#notice", "Invitation created");
        assertTrue(browser.driver.findElements(By.cssSelector("#invitation-link")).isEmpty(), "link shown twice");
        assertEquals(1, browser.driver.findElements(By.cssSelector("#invitations tbody tr[data-email]")).size());

        // The link is on the public origin (BASE_URL), so Bob's browser stays on it.
        String publicOrigin = link.substring(0, link.indexOf("/invitations/"));
        try (Browser bob = new Browser(publicOrigin)) {
            bob.open(link);
            // signed out, the link names the organization, the inviter and the role (its name, not its key)
            bob.waitForText("#invitation-summary", org);
            assertEquals("Admin", bob.find("#invitation-inviter").getText());
            assertEquals("Member", bob.find("#invitation-role").getText());
            bob.click("#invitation-sign-up");
            bob.waitForPath("/sign-up");
            assertEquals(inviteeEmail, bob.find("#email").getAttribute("value"));
            bob.type("#name", "Bob");
            bob.type("#password", "correct horse battery staple");
            bob.click("#sign-up");
            bob.waitForPath("/invitations/accept");
            // not before the email is verified: the page says so, and leads there and back
            bob.waitForText("#verify-first", "First confirm that this address is yours");
            bob.click("#verify-then-accept");
            bob.type("#verification-code", server.awaitRecordedVerification(inviteeEmail).code());
            bob.click("#confirm-code");
            bob.waitForPath("/invitations/accept");
            bob.check("accept-invitation");
            bob.click("#accept-invitation");
            bob.waitForText("#notice", "You joined the organization.");
            assertEquals(org, new Select(bob.find("#org-switch")).getFirstSelectedOption().getText());

            bob.open("/settings");
            bob.find("#settings-tabs");
            // every member has personal keys: the tab lists their own keys only (none yet), never the organization's
            assertFalse(bob.driver.findElements(By.cssSelector("#tab-api-keys")).isEmpty(), "no API Keys tab");
            bob.open("/settings/api-keys");
            bob.find("#api-keys");
            assertTrue(bob.driver.findElements(By.cssSelector("#api-keys tbody tr[data-key]")).isEmpty(),
                    "a member sees keys that are not theirs");
            bob.check("member-api-keys");
        }
        browser.open("/settings/members");
        browser.waitForText("#members", inviteeEmail);
    }

    /** Invites {@code email} as a member from the admin signed in to {@code b}; the link as the admin is shown it. */
    private static String invite(Browser b, String email) {
        b.open("/settings/members");
        b.type("#invite-email", email);
        new Select(b.find("#invite-role")).selectByValue("org:member");
        b.click("#invite");
        return b.find("#invitation-link").getText();
    }

    /**
     * An admin of a new organization {@code org} invites a new address; then, in the same browser, its owner signs up
     * and verifies it. The invitation link's path (on this browser's origin).
     */
    private static String invitedAndSignedUp(String org) {
        adminWithOrganization(browser, org);
        String email = unique("bob") + "@example.com";
        String link = invite(browser, email);
        browser.driver.manage().deleteAllCookies();
        signUp(browser, "Bob", email);
        browser.waitForPath("/organizations/new");
        verifyEmail(browser, email);
        browser.waitForText("#notice", "Your email is confirmed."); // else the link may open before that landed
        return link.substring(link.indexOf("/invitations/"));
    }

    @Test
    void on_a_phone_a_new_user_opens_an_invitation_signs_up_from_it_and_joins() {
        String org = unique("Phone");
        adminWithOrganization(browser, org);
        String email = unique("newcomer") + "@example.com";
        String link = invite(browser, email);
        try (Browser phone = new Browser(link.substring(0, link.indexOf("/invitations/")))) {
            phone.open("/static/app.css");
            phone.workAt(Browser.Width.PHONE);
            phone.open(link);
            phone.waitForText("#invitation-summary", email);
            assertTrue(phone.find("h1").getText().contains(org));
            phone.screenshot("flow-phone-invitation");
            phone.click("#invitation-sign-up");
            assertEquals(email, phone.find("#email").getAttribute("value"));
            phone.type("#name", "Newcomer");
            phone.type("#password", "correct horse battery staple");
            phone.click("#sign-up");
            phone.waitForPath("/invitations/accept");
            phone.click("#verify-then-accept");
            phone.type("#verification-code", server.awaitRecordedVerification(email).code());
            phone.click("#confirm-code");
            phone.waitForPath("/invitations/accept");
            phone.find("#decline-invitation");
            phone.screenshot("flow-phone-invitation-for-you");
            phone.click("#accept-invitation");
            phone.waitForText("#notice", "You joined the organization.");
            phone.screenshot("flow-phone-joined");
            assertEquals(390L, js(phone, "return document.documentElement.clientWidth;"));
            phone.click("#menu-toggle"); // the header is folded on a phone
            assertEquals(org, new Select(phone.find("#org-switch")).getFirstSelectedOption().getText());
        }
    }

    @Test
    void signed_in_as_another_address_one_click_signs_out_and_continues_as_the_invited_one() {
        String org = unique("Switch");
        adminWithOrganization(browser, org);
        String bobEmail = unique("bob") + "@example.com";
        String link = invite(browser, bobEmail);
        try (Browser bob = new Browser(server.origin())) {
            signUp(bob, "Bob", bobEmail); // Bob has an account already, verified
            bob.waitForPath("/organizations/new");
            verifyEmail(bob, bobEmail);
            bob.waitForText("#notice", "Your email is confirmed.");
        }

        // the admin, still signed in here, opens Bob's link
        browser.open(link.substring(link.indexOf("/invitations/")));
        browser.waitForText("#other-account", bobEmail);
        browser.check("invitation-other-account");
        browser.click("#switch-account");
        browser.waitForPath("/sign-in");
        assertEquals(bobEmail, browser.find("#email").getAttribute("value"));
        assertTrue(browser.driver.findElements(By.cssSelector("#user-menu")).isEmpty(), "still signed in");
        browser.type("#password", "correct horse battery staple");
        browser.click("#sign-in");
        browser.waitForPath("/invitations/accept");
        browser.click("#accept-invitation");
        browser.waitForText("#notice", "You joined the organization.");
        assertEquals(org, new Select(browser.find("#org-switch")).getFirstSelectedOption().getText());

        // the link is used now: it says so, to anyone holding it
        browser.open(link.substring(link.indexOf("/invitations/")));
        browser.waitForText("#invitation-closed", "already accepted");
        browser.check("invitation-used");
    }

    @Test
    void the_invited_user_declines_and_the_link_then_says_it_is_withdrawn() {
        String link = invitedAndSignedUp(unique("Decline"));
        browser.open(link);
        browser.find("#accept-invitation");
        browser.check("invitation-for-you");
        browser.click("#decline-invitation");
        browser.waitForText("#notice", "You declined the invitation.");
        assertEquals("/organizations/new?notice=invitation-declined", browser.path());
        browser.open(link);
        browser.waitForText("#invitation-closed", "withdrawn or declined");
        assertTrue(browser.driver.findElements(By.cssSelector("#accept-invitation")).isEmpty(), "still answerable");
        browser.open("/invitations/accept?token=no-such-token");
        browser.waitForText("#error-message", "This invitation link is not valid.");
        browser.check("invitation-unknown");
    }

    @Test
    void a_member_leaves_after_confirming_and_lands_with_a_notice() {
        browser.open(invitedAndSignedUp(unique("Leave")));
        browser.click("#accept-invitation");
        browser.waitForText("#notice", "You joined the organization.");
        browser.open("/settings/members");
        browser.click("#members tr:has(.badge) .remove-member"); // the row marked "you"
        browser.click("#confirm-leave");
        browser.waitForText("#notice", "You left the organization.");
        assertEquals("/organizations/new?notice=left", browser.path());
    }

    @Test
    void after_deleting_an_organization_you_land_in_another_one_with_a_notice_naming_it() {
        String kept = unique("Kept");
        String doomed = unique("Doomed");
        adminWithOrganization(browser, kept);
        createOrganization(browser, doomed);
        browser.type("#confirm-name", doomed);
        browser.click("#delete-org");
        browser.waitForText("#notice", "Organization " + doomed + " was deleted.");
        assertEquals("/agents?notice=org-deleted", browser.path());
        assertEquals(kept, new Select(browser.find("#org-switch")).getFirstSelectedOption().getText());
        browser.check("agents-after-deleting-an-organization");
        browser.driver.navigate().refresh(); // a reload shows the page, not the notice's words again
        browser.waitForText("#notice", "Organization deleted.");

        // the last one: on to creating one, told the same
        browser.open("/settings");
        browser.type("#confirm-name", kept);
        browser.click("#delete-org");
        browser.waitForText("#notice", "Organization " + kept + " was deleted.");
        assertEquals("/organizations/new?notice=org-deleted", browser.path());
    }

    @Test
    void empty_lists_offer_their_primary_action_and_a_search_that_finds_nothing_offers_to_clear_it() {
        adminWithOrganization(browser, unique("Empty"));
        browser.open("/settings/api-keys");
        browser.waitForText("#keys-empty", "No API keys yet.");
        browser.check("api-keys-none-yet");
        browser.open("/settings/api-keys?query=nothing-like-this");
        browser.waitForText("#keys-empty", "No keys match “nothing-like-this”.");
        browser.check("api-keys-no-match");
        browser.click("#clear-search");
        browser.click("#empty-generate-key");
        browser.waitForPath("/settings/api-keys/new");

        browser.open("/agents?query=nothing-like-this");
        browser.waitForText("#agents-empty", "No agents match “nothing-like-this”.");
        browser.click("#clear-search");
        browser.waitForText("#agents-empty", "No agents yet.");
        browser.click("#empty-create-agent");
        browser.wait.until(d -> browser.path().endsWith("#agent-name")); // the form on the same page

        browser.open("/settings/members");
        browser.waitForText("#invitations-empty", "No pending invitations.");
        browser.click("#empty-invite");
        browser.wait.until(d -> browser.path().endsWith("#invite-email"));
    }

    @Test
    void the_last_admin_is_asked_before_leaving_and_told_why_they_cannot() {
        String org = unique("Solo");
        adminWithOrganization(browser, org);
        browser.open("/settings/members");
        browser.click("#members .remove-member");
        browser.waitForText("h2", "Leave " + org + "?");
        browser.check("confirm-leave");
        browser.click("#cancel-leave");
        browser.waitForPath("/settings/members");
        browser.find("#members .remove-member").click();
        browser.click("#confirm-leave");
        browser.waitForText("#page-error", "you are the last admin of this organization");
        browser.check("members-last-admin-cannot-leave");
    }

    @Test
    void an_api_key_secret_is_shown_once_works_as_bearer_and_stops_working_when_revoked() throws Exception {
        adminWithOrganization(browser, unique("Keys"));
        browser.open("/settings");
        browser.click("#tab-api-keys");
        browser.click("#generate-key");
        browser.type("#key-name", "CI <deploy>");
        browser.click("input[name=scopes][value='org:agents:manage']"); // uncheck: a read-only key
        browser.click("input[name=expiry][value='30']");
        browser.check("api-key-new");
        browser.click("#create-key");
        String secret = browser.find("#secret").getText();
        assertFalse(secret.isBlank());
        browser.find("#secret-warning");
        browser.find("#copy-secret");
        browser.check("api-key-created");

        HttpResponse<String> whoami = whoami(secret);
        assertEquals(200, whoami.statusCode(), whoami.body());
        assertTrue(whoami.body().contains("\"api_key\""), whoami.body());

        browser.click("#done");
        browser.waitForPath("/settings/api-keys");
        assertFalse(browser.driver.getPageSource().contains(secret), "secret shown in the list");
        browser.driver.navigate().back();
        browser.wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        assertFalse(browser.driver.getPageSource().contains(secret), "secret shown again after going back");

        // the list shows a hint (ok_…abcd): searching for its last characters finds the key
        browser.open("/settings/api-keys?query=" + secret.substring(secret.length() - 4));
        browser.find("tr[data-key='CI <deploy>']");
        browser.open("/settings/api-keys?query=deploy&status=active");
        WebElement row = browser.find("tr[data-key='CI <deploy>']");
        assertEquals("CI <deploy>", row.findElement(By.cssSelector("td.name")).getText());
        browser.check("api-keys-list");
        row.findElement(By.cssSelector(".revoke-key")).click();
        browser.type("#revoke-reason", "rotated");
        browser.check("api-key-revoke");
        browser.click("#confirm-revoke");
        browser.waitForText("#notice", "API key revoked.");
        browser.waitForText("#announcer", "API key revoked."); // said by a screen reader, not only shown
        browser.open("/settings/api-keys?status=revoked");
        browser.waitForText("tr[data-key='CI <deploy>'] .status", "revoked");
        assertEquals(401, whoami(secret).statusCode());
    }

    /** Issue 25: a key's own page, reached from its row: settings, usage chart and table, history, actions. */
    @Test
    void a_keys_page_shows_its_usage_as_a_chart_and_a_table_and_its_history() throws Exception {
        adminWithOrganization(browser, unique("Usage"));
        browser.open("/settings/api-keys/new");
        browser.type("#key-name", "usage");
        browser.click("#create-key");
        String secret = browser.find("#secret").getText();
        browser.click("#done");
        browser.waitForPath("/settings/api-keys");
        for (int i = 0; i < 3; i++) assertEquals(200, whoami(secret).statusCode());
        server.app.flushApiKeyUsage();

        browser.find("tr[data-key='usage'] a.key-detail").click();
        browser.waitForText("#key-name", "usage");
        assertTrue(browser.path().matches("/settings/api-keys/[0-9a-f-]{36}"), browser.path());
        // the chart's text alternative (title and desc are not rendered, so read from the document)
        assertTrue(browser.driver.findElement(By.id("usage-title")).getAttribute("textContent").contains("usage"));
        assertTrue(browser.driver.findElement(By.id("usage-desc")).getAttribute("textContent")
                .startsWith("3 successful and 0 refused"));
        assertEquals(1, browser.driver.findElements(By.cssSelector("#usage-chart rect.bar-success")).size());
        browser.waitForText("#key-history", "Created");
        browser.check("api-key-detail");

        browser.click("#usage-table-details summary"); // the same numbers as a table, folded until asked for
        assertEquals("3", browser.find("#usage-totals td[data-label='Successful']").getText().strip());
        browser.check("api-key-detail-with-table");

        browser.click("#detail-disable");
        browser.waitForText("#notice", "API key disabled");
        browser.find("tr[data-key='usage'] a.key-detail").click();
        browser.waitForText("#key-history", "Disabled");
        browser.find("#detail-enable");
    }

    /** Issue 25: a key that acts as its maker, chosen in the form; its row and its page say whom it acts as. */
    @Test
    void a_key_made_for_oneself_says_whom_it_acts_as() throws Exception {
        adminWithOrganization(browser, unique("Mine"));
        browser.open("/settings/api-keys/new");
        browser.check("api-key-new-acts-as");
        browser.type("#key-name", "mine");
        browser.click("input[name='subject'][value='user']");
        browser.click("#create-key");
        String secret = browser.find("#secret").getText();
        browser.click("#done");
        browser.waitForPath("/settings/api-keys");
        browser.waitForText("tr[data-key='mine'] .acts-as", "acts as");
        browser.check("api-keys-acts-as");
        browser.find("tr[data-key='mine'] a.key-detail").click();
        browser.waitForText("#key-name", "mine");
        assertTrue(browser.find("main").getText().contains("Acts as"), browser.find("main").getText());
        browser.check("api-key-detail-acts-as");
        assertEquals(200, whoami(secret).statusCode());
    }

    /** Issue 25 in the dashboard: edit, disable, enable, then (once revoked) delete, each page passing axe. */
    @Test
    void a_key_is_edited_disabled_enabled_and_once_revoked_deleted_from_its_row() throws Exception {
        adminWithOrganization(browser, unique("Lifecycle"));
        browser.open("/settings/api-keys/new");
        browser.type("#key-name", "lifecycle");
        browser.click("#create-key");
        String secret = browser.find("#secret").getText();
        browser.click("#done");
        browser.waitForPath("/settings/api-keys");

        browser.find("tr[data-key='lifecycle'] .edit-key").click();
        browser.type("#key-name", "lifecycle 2");
        browser.click("input[name=scopes][value='org:agents:manage']"); // uncheck
        browser.check("api-key-edit");
        browser.click("#save-key");
        browser.waitForText("#notice", "API key saved");
        assertEquals(1, browser.find("tr[data-key='lifecycle 2']").findElements(By.cssSelector(".chip")).size());

        browser.find("tr[data-key='lifecycle 2'] .disable-key").click();
        browser.waitForText("#notice", "API key disabled");
        browser.waitForText("tr[data-key='lifecycle 2'] .status", "disabled");
        browser.check("api-keys-disabled");
        assertEquals(401, whoami(secret).statusCode());
        browser.find("tr[data-key='lifecycle 2'] .enable-key").click();
        browser.waitForText("#notice", "API key enabled");
        assertEquals(200, whoami(secret).statusCode());

        browser.find("tr[data-key='lifecycle 2'] .revoke-key").click();
        browser.click("#confirm-revoke");
        browser.waitForText("#notice", "API key revoked.");
        browser.find("tr[data-key='lifecycle 2'] .delete-key").click();
        browser.check("api-key-delete");
        browser.click("#confirm-delete");
        browser.waitForText("#notice", "API key deleted.");
        assertTrue(browser.driver.findElements(By.cssSelector("tr[data-key='lifecycle 2']")).isEmpty());
    }

    @Test
    void the_keys_page_pages_older_then_newer_with_cursors() {
        adminWithOrganization(browser, unique("Pages"));
        Api api = server.anonymous().withSessionCookie(browser.driver.manage().getCookieNamed("orgkeys_session").getValue());
        for (int i = 1; i <= 25; i++) assertEquals(201, api.post("/api/api-keys", Api.body("name", "paged key " + i)).status());

        browser.open("/settings/api-keys");
        browser.find("tr[data-key='paged key 25']");
        browser.waitForText(".pager .muted", "1–20 of 25");
        assertTrue(browser.driver.findElements(By.cssSelector(".pager a[rel=prev]")).isEmpty(), "Newer on the first page");

        browser.click(".pager a[rel=next]");
        browser.find("tr[data-key='paged key 5']");
        browser.waitForText(".pager .muted", "Showing 5 of 25");
        assertTrue(browser.path().contains("cursor="), browser.path());
        assertTrue(browser.driver.findElements(By.cssSelector("tr[data-key='paged key 6']")).isEmpty(), "a row twice");
        assertTrue(browser.driver.findElements(By.cssSelector(".pager a[rel=next]")).isEmpty(), "Older on the last page");
        browser.check("api-keys-older");

        browser.click(".pager a[rel=prev]");
        browser.find("tr[data-key='paged key 25']");
        browser.find("tr[data-key='paged key 6']");
        assertTrue(browser.driver.findElements(By.cssSelector("tr[data-key='paged key 5']")).isEmpty(), "an older row");
        assertEquals(20, browser.driver.findElements(By.cssSelector("#api-keys tbody tr")).size());
        assertTrue(browser.driver.findElements(By.cssSelector(".pager a[rel=prev]")).isEmpty(), "Newer on the newest page");
    }

    @Test
    void typing_a_number_of_days_chooses_in_days_and_the_key_expires() {
        adminWithOrganization(browser, unique("Expiry"));
        browser.open("/settings/api-keys/new");
        browser.type("#key-name", "expires");
        browser.type("#custom-days", "45");
        assertTrue(browser.find("#expiry-custom").isSelected(), "typing days left 'Never' selected");
        browser.click("#create-key");
        String expires = browser.find("#key-expires").getText();
        assertFalse(expires.contains("never"), expires);
        // relative on the page ("in 1 month"), the exact instant in <time datetime>
        String at = browser.find("#key-expires time").getAttribute("datetime");
        assertTrue(at.startsWith(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(45).toString())
                || at.startsWith(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(46).toString()), at);

        // choosing another duration afterwards empties the days, so the form is never ambiguous
        browser.open("/settings/api-keys/new");
        browser.type("#custom-days", "45");
        browser.click("input[name=expiry][value='30']");
        assertEquals("", browser.find("#custom-days").getAttribute("value"));
    }

    @Test
    void the_copy_button_shows_its_label_again_after_a_double_click() {
        adminWithOrganization(browser, unique("Copy"));
        ((ChromeDriver) browser.driver).executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.origin(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser.open("/settings/api-keys/new");
        browser.type("#key-name", "copied twice");
        browser.click("#create-key");
        WebElement copy = browser.find("#copy-secret");
        assertEquals("Copy", copy.getText());

        new Actions(browser.driver).doubleClick(copy).perform();

        browser.waitForText("#copy-secret", "Copied");
        browser.wait.until(d -> copy.getText().equals("Copy"));
    }

    @Test
    void changing_your_own_role_asks_first_on_a_page_of_its_own() {
        adminWithOrganization(browser, unique("Self"));
        browser.open("/settings/members");
        new Select(browser.find("#members select[name=role]")).selectByValue("org:member");
        browser.click("#members .change-role");
        browser.find("#confirm-role-change");
        browser.check("confirm-own-role");
        browser.click("#cancel-role-change");
        browser.waitForPath("/settings/members");
        assertEquals("org:admin", new Select(browser.find("#members select[name=role]")).getFirstSelectedOption()
                .getAttribute("value"));
        new Select(browser.find("#members select[name=role]")).selectByValue("org:member");
        browser.click("#members .change-role");
        browser.click("#confirm-role-change");
        browser.waitForText("#page-error", "at least one admin");
    }

    @Test
    void agents_are_created_and_deleted_after_confirmation_with_names_escaped() {
        adminWithOrganization(browser, unique("Agents"));
        browser.open("/agents");
        String name = "<script>alert(1)</script>";
        browser.type("#agent-name", name);
        browser.type("#agent-model", "gpt-test");
        browser.type("#agent-description", "answers <i>questions</i>");
        browser.click("#create-agent");
        browser.waitForText("#notice", "Agent created.");
        WebElement row = browser.find("tr[data-agent='" + name + "']");
        assertEquals(name, row.findElement(By.cssSelector("td.name")).getText());
        assertTrue(browser.find("#curl-snippet").getText().contains("/api/agents"));
        browser.check("agents");

        row.findElement(By.cssSelector(".delete-agent")).click();
        browser.acceptConfirm();
        browser.waitForText("#notice", "Agent deleted.");
        assertTrue(browser.driver.findElements(By.cssSelector("tr[data-agent]")).isEmpty());
    }

    @Test
    void agents_made_in_the_dashboard_are_listed_by_the_api_with_a_key_and_vice_versa() throws Exception {
        adminWithOrganization(browser, unique("Both ways"));
        browser.open("/settings");
        browser.click("#tab-api-keys");
        browser.click("#generate-key");
        browser.type("#key-name", "integration");
        browser.click("#create-key");
        String secret = browser.find("#secret").getText();

        browser.open("/agents");
        browser.type("#agent-name", "made in the UI");
        browser.type("#agent-model", "gpt-ui");
        browser.click("#create-agent");
        browser.waitForText("#notice", "Agent created.");

        HttpResponse<String> listed = documented("GET", "/api/agents", http.send(HttpRequest.newBuilder(URI.create(server.origin() + "/api/agents"))
                .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains("\"made in the UI\""), listed.body());

        HttpResponse<String> created = documented("POST", "/api/agents", http.send(HttpRequest.newBuilder(URI.create(server.origin() + "/api/agents"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"made by the API\",\"model\":\"gpt-api\"}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(201, created.statusCode(), created.body());
        browser.open("/agents");
        assertEquals("made by the API", browser.find("tr[data-agent='made by the API'] td.name").getText());
    }

    @Test
    void a_form_post_without_the_token_is_refused() {
        adminWithOrganization(browser, unique("Csrf"));
        browser.open("/agents");
        browser.type("#agent-name", "forged");
        browser.type("#agent-model", "m");
        ((JavascriptExecutor) browser.driver).executeScript(
                "document.querySelectorAll('input[name=_csrf]').forEach(function (e) { e.value = 'forged'; });");
        browser.click("#create-agent");
        browser.waitForText("h1", "Not allowed");
        browser.open("/agents");
        assertTrue(browser.driver.findElements(By.cssSelector("tr[data-agent]")).isEmpty(), "forged post created an agent");
    }

    @Test
    void unknown_pages_get_an_html_404_and_pages_send_a_strict_csp() throws Exception {
        browser.open("/no-such-page");
        browser.waitForText("h1", "Page not found");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.origin() + "/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertFalse(page.body().contains("style="), "inline style attribute");
        assertFalse(page.body().contains("onclick") || page.body().contains("onsubmit"), "inline handler");
    }

    @Test
    void the_pages_no_other_test_looks_at_pass_axe_at_both_widths() {
        browser.open("/sign-in");
        browser.check("sign-in");
        browser.open("/sign-up");
        browser.check("sign-up");
        browser.open("/no-such-page");
        browser.waitForText("h1", "Page not found");
        browser.check("not-found");

        String email = unique("pages") + "@example.com";
        signUp(browser, "Pages", email);
        browser.waitForPath("/organizations/new");
        browser.open("/verify-email");
        browser.find("#verification-code");
        browser.check("verify-email");
        String code = server.awaitRecordedVerification(email).code();
        browser.type("#verification-code", code.equals("000000") ? "000001" : "000000");
        browser.click("#confirm-code");
        browser.find(".field-error");
        assertEquals("verification-code", js("return document.activeElement.id;"));
        browser.check("verify-email-wrong-code");
        verifyEmail(browser, email);
        browser.waitForText("#notice", "Your email is confirmed.");
        createOrganization(browser, unique("Pages"));

        browser.open("/agents");
        browser.check("agents-empty");
        browser.open("/settings/api-keys");
        browser.check("api-keys-empty");
        browser.open("/settings/api-keys/new");
        browser.click("#create-key"); // no name
        browser.find(".field-error");
        assertEquals("key-name", js("return document.activeElement.id;"));
        browser.check("api-key-new-errors");
        browser.open("/sessions");
        browser.check("sessions");
        browser.open("/account");
        browser.check("account");
        browser.open("/settings/roles");
        browser.type("#role-key", "org:billing");
        browser.type("#role-name", "Billing");
        browser.click("input[name=permissions][value='org:agents:read']");
        browser.click("#create-role");
        browser.waitForText("#notice", "");
        browser.check("roles");
        browser.open("/settings/roles/org:billing");
        browser.find("#role-name");
        browser.check("role-edit");
        browser.open("/settings/audit");
        browser.find("#audit");
        browser.check("audit");
    }

    @Test
    void in_dark_mode_the_pages_keep_their_contrast() {
        adminWithOrganization(browser, unique("Dark"));
        browser.colorScheme("dark");
        try {
            browser.open("/settings/api-keys/new");
            browser.type("#key-name", "dark");
            browser.click("#create-key");
            browser.find("#secret");
            browser.check("dark-api-key-created");
            browser.open("/settings/api-keys");
            browser.check("dark-api-keys");
            browser.open("/settings/members");
            browser.check("dark-members");
            browser.open("/agents");
            browser.click("#create-agent"); // no name: field errors
            browser.find(".field-error");
            browser.check("dark-agents-errors");
            browser.click("#user-menu");
            browser.find("#account-link");
            browser.check("dark-user-menu-open");
        } finally {
            browser.colorScheme("light");
        }
    }

    @Test
    void on_a_phone_the_header_folds_behind_a_menu_button() {
        adminWithOrganization(browser, unique("Phone"));
        browser.open("/agents");
        browser.find("#agents"); // checked at both widths (Browser.check) before this test sets its own
        assertFalse(browser.driver.findElement(By.id("menu-toggle")).isDisplayed(), "a menu button on a wide screen");
        browser.viewport(Browser.Width.PHONE);
        try {
            WebElement toggle = browser.find("#menu-toggle");
            assertFalse(browser.driver.findElement(By.id("site-menu")).isDisplayed(), "the menu is open at first");
            assertEquals("false", toggle.getAttribute("aria-expanded"));
            toggle.click();
            browser.find("#site-menu");
            assertEquals("true", toggle.getAttribute("aria-expanded"));
            browser.find("#org-switch");
            browser.click("#user-menu");
            browser.find("#sessions-link");
            browser.check("agents-menu-open");
            // Escape in the menu closes it and gives the focus back to its button
            browser.viewport(Browser.Width.PHONE);
            browser.find("#sessions-link").sendKeys(Keys.ESCAPE);
            browser.wait.until(d -> !d.findElement(By.id("site-menu")).isDisplayed());
            assertEquals("menu-toggle", js("return document.activeElement.id;"));
            assertEquals("false", toggle.getAttribute("aria-expanded"));
        } finally {
            browser.viewport(Browser.Width.DESKTOP);
        }
    }

    @Test
    void with_the_keyboard_alone_a_key_is_created_and_its_secret_copied() {
        adminWithOrganization(browser, unique("Keyboard"));
        ((ChromeDriver) browser.driver).executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.origin(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser.open("/settings/api-keys");
        browser.find("#generate-key");

        // the first Tab reaches the skip link, which leads past the header
        press(Keys.TAB);
        assertEquals("Skip to main content", js("return document.activeElement.textContent;"));
        press(Keys.ENTER);
        browser.wait.until(d -> "main".equals(js("return document.activeElement.id;")));
        tabTo("#generate-key", 10);
        press(Keys.ENTER);
        browser.waitForPath("/settings/api-keys/new");

        tabTo("#key-name", 20);
        new Actions(browser.driver).sendKeys("typed, not clicked").perform();
        tabTo("input[name=scopes][value='org:agents:manage']", 5);
        press(Keys.SPACE); // a read-only key
        assertFalse(browser.find("input[name=scopes][value='org:agents:manage']").isSelected());
        tabTo("input[name=expiry][value='never']", 5);
        press(Keys.ARROW_DOWN); // radios move with the arrows: "In 7 days"
        assertTrue(browser.find("input[name=expiry][value='7']").isSelected());
        tabTo("#create-key", 5);
        press(Keys.ENTER);

        String secret = browser.find("#secret").getText();
        press(Keys.TAB);
        press(Keys.ENTER); // the skip link
        browser.wait.until(d -> "main".equals(js("return document.activeElement.id;")));
        tabTo("#copy-secret", 8);
        press(Keys.SPACE);
        browser.waitForText("#copy-secret", "Copied");
        browser.waitForText("#announcer", "Copied to the clipboard");
        driverTimeouts();
        assertEquals(secret, ((JavascriptExecutor) browser.driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, function (e) { done('failed: ' + e); });"));
        browser.open("/settings/api-keys");
        browser.find("tr[data-key='typed, not clicked']");
    }

    private static void driverTimeouts() {
        browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    private static void press(CharSequence key) {
        new Actions(browser.driver).sendKeys(key).perform();
    }

    /**
     * Presses Tab until the focus is on {@code css}, at most {@code max} times; every element the focus passes
     * on the way shows a focus ring of at least 2 px.
     */
    private static void tabTo(String css, int max) {
        for (int i = 0; i < max; i++) {
            press(Keys.TAB);
            @SuppressWarnings("unchecked")
            List<Object> focused = (List<Object>) ((JavascriptExecutor) browser.driver).executeScript(
                    "var e = document.activeElement, s = getComputedStyle(e);"
                            + "return [e.matches(arguments[0]), e.outerHTML.slice(0, 120), s.outlineStyle, parseFloat(s.outlineWidth)];", css);
            assertTrue(!"none".equals(focused.get(2)) && ((Number) focused.get(3)).doubleValue() >= 2,
                    "no visible focus on " + focused.get(1));
            if (Boolean.TRUE.equals(focused.get(0))) return;
        }
        throw new AssertionError(max + " Tabs did not reach " + css + "; the focus is on "
                + js("return document.activeElement.outerHTML.slice(0, 120);"));
    }

    private static Object js(String script) {
        return js(browser, script);
    }

    private static Object js(Browser b, String script) {
        return ((JavascriptExecutor) b.driver).executeScript(script);
    }

    private static HttpResponse<String> whoami(String secret) throws Exception {
        return documented("GET", "/api/whoami", http.send(HttpRequest.newBuilder(URI.create(server.origin() + "/api/whoami"))
                .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The API answers this test reads are checked against the OpenAPI document, as those of the HTTP tests. */
    private static HttpResponse<String> documented(String method, String path, HttpResponse<String> response) {
        OpenApiResponseValidator.SERVED.assertValid(method, path, response.statusCode(), response.headers().map(), response.body());
        return response;
    }
}
