package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.orgkeys.bootstrap.browser.DashboardBrowserTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the dashboard tells people: sessions by browser, times relative, the audit log by name and filtered. */
class FlowsBrowserTest {
    static final String CHROME_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";
    static final String SAFARI_ON_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
            + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    /** DashboardBrowserTest.signUp's. */
    static final String PASSWORD = "correct horse battery staple";

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Signed up (DashboardBrowserTest's way) and on the page that follows. */
    private static void signUp(Browser b, String name, String email) {
        DashboardBrowserTest.signUp(b, name, email);
        b.waitForPath("/organizations/new");
    }

    @Test
    void sessions_name_each_browser_and_its_system_and_mark_this_device_with_relative_times() {
        String email = unique("ada") + "@example.com";
        try (Browser laptop = new Browser(server.origin(), CHROME_ON_LINUX);
             Browser phone = new Browser(server.origin(), SAFARI_ON_IPHONE)) {
            signUp(laptop, "Ada", email);
            server.clock.advance(Duration.ofMinutes(3));
            phone.open("/sign-in");
            phone.type("#email", email);
            phone.type("#password", PASSWORD);
            phone.click("#sign-in");
            phone.waitForPath("/organizations/new");

            phone.open("/sessions");
            List<WebElement> rows = phone.driver.findElements(By.cssSelector("table.grid tbody tr"));
            assertEquals(2, rows.size());
            WebElement here = rows.stream().filter(r -> r.getText().contains("This device")).findFirst().orElseThrow();
            WebElement there = rows.stream().filter(r -> !r.getText().contains("This device")).findFirst().orElseThrow();
            assertEquals("Mobile Safari on iOS", here.findElement(By.cssSelector(".session-browser")).getText());
            assertEquals("Chrome on Linux", there.findElement(By.cssSelector(".session-browser")).getText());
            assertFalse(phone.find("main").getText().contains("Mozilla/5.0"), "the raw User-Agent is shown");
            // the laptop signed in three minutes (of the server's clock) before: relative, exact time on hover
            WebElement signedIn = there.findElement(By.cssSelector("td[data-label='Signed in'] time"));
            assertEquals("3 minutes ago", signedIn.getText());
            Instant at = Instant.parse(signedIn.getAttribute("datetime"));
            assertTrue(Duration.between(at, server.clock.instant()).toSeconds() >= 180, signedIn.getAttribute("datetime"));
            assertTrue(signedIn.getAttribute("title").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC"),
                    signedIn.getAttribute("title"));
            assertEquals("just now", here.findElement(By.cssSelector("td[data-label='Signed in'] time")).getText());
            phone.check("sessions-two-browsers");
        }
    }

    @Test
    void the_audit_log_names_people_and_objects_links_them_and_filters_by_action_and_actor() {
        String email = unique("grace") + "@example.com";
        try (Browser b = new Browser(server.origin())) {
            signUp(b, "Grace", email);
            b.open("/verify-email");
            b.type("#verification-code", server.awaitRecordedVerification(email).code());
            b.click("#confirm-code");
            b.waitForText("#notice", "Your email is confirmed.");
            b.open("/organizations/new");
            b.type("#org-name", unique("Audited"));
            b.click("#create-org");
            b.waitForPath("/settings");
            b.open("/settings/roles");
            b.type("#role-key", "org:billing");
            b.type("#role-name", "Billing");
            b.click("input[name=permissions][value='org:agents:read']");
            b.click("#create-role");
            b.waitForText("#notice", "Role created.");
            String invitee = unique("lin") + "@example.com";
            b.open("/settings/members");
            b.type("#invite-email", invitee);
            new Select(b.find("#invite-role")).selectByValue("org:billing");
            b.click("#invite");
            b.waitForText("#notice", "Invitation created.");
            // role names, not keys, where people read them
            assertTrue(b.find("#invitations").getText().contains("Billing"), b.find("#invitations").getText());
            assertFalse(b.find("#invitations").getText().contains("org:billing"), b.find("#invitations").getText());

            b.open("/settings/audit");
            String log = b.find("#audit").getText();
            assertFalse(log.contains("user:"), "raw actor ids:\n" + log);
            assertTrue(log.contains("Grace (" + email + ")"), log);
            WebElement roleCreated = row(b, "role.created");
            WebElement roleLink = roleCreated.findElement(By.cssSelector(".audit-target a"));
            assertEquals("Billing", roleLink.getText());
            assertTrue(roleLink.getAttribute("href").endsWith("/settings/roles/org:billing"), roleLink.getAttribute("href"));
            WebElement invited = row(b, "invitation.created");
            assertEquals(invitee, invited.findElement(By.cssSelector(".audit-target")).getText());
            assertTrue(invited.getText().contains("role=Billing"), invited.getText()); // details read the role's name
            assertFalse(b.driver.findElements(By.cssSelector("#audit time[datetime]")).isEmpty(), "no relative times");
            b.check("audit-named");

            // filter by action: a GET form, so the address can be shared; paging keeps the filter
            new Select(b.find("#audit-action")).selectByValue("role.created");
            b.click("#audit-apply");
            b.waitForPath("/settings/audit");
            assertTrue(b.path().contains("action=role.created"), b.path());
            assertEquals(1, b.driver.findElements(By.cssSelector("#audit tbody tr")).size());
            b.find("#audit-clear");
            b.check("audit-filtered-by-action");

            // a name leads to that actor's events; the actor filter then shows them chosen
            b.click("#audit-clear");
            b.click("#audit tbody tr .audit-actor");
            b.waitForPath("/settings/audit");
            assertTrue(b.path().contains("actor=user%3A"), b.path());
            assertEquals("Grace (" + email + ")", new Select(b.find("#audit-actor")).getFirstSelectedOption().getText());
            int mine = b.driver.findElements(By.cssSelector("#audit tbody tr")).size();
            assertTrue(mine >= 3, "organization created, role created, invitation created: " + mine);

            // a filter that cannot be one is shown on its field, and the whole log stays readable
            b.open("/settings/audit?action=DROP%20TABLE");
            b.find("#audit-action-error");
            assertEquals("true", b.find("#audit-action").getAttribute("aria-invalid"));
            b.check("audit-filter-refused");

            // an object deleted since keeps the name it had
            b.open("/settings/roles");
            b.click("form[action='/settings/roles/org:billing/delete'] button");
            b.acceptConfirm();
            b.waitForText("#notice", "Role deleted.");
            b.open("/settings/audit?action=role.created");
            assertEquals("Billing (deleted)", b.find("#audit .audit-target").getText());
            assertTrue(b.driver.findElements(By.cssSelector("#audit .audit-target a")).isEmpty(), "a link to nothing");
        }
    }

    private static WebElement row(Browser b, String action) {
        return b.driver.findElements(By.cssSelector("#audit tbody tr")).stream()
                .filter(r -> r.findElement(By.cssSelector("td[data-label='Action']")).getText().equals(action))
                .findFirst().orElseThrow(() -> new AssertionError("no " + action + " in the log"));
    }
}
