package com.orgkeys.bootstrap.browser;

import com.icegreen.greenmail.util.GreenMail;
import com.orgkeys.bootstrap.api.Mails;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-in by mail in headless Chromium: the forms, the mail (read from GreenMail), the link's page, the code. */
class EmailSignInBrowserTest {
    private static final String SUBJECT = "Sign in to orgkeys";
    private static final Pattern LINK = Pattern.compile("/sign-in/link\\?token=[A-Za-z0-9_-]{43}");
    private static final Pattern CODE = Pattern.compile("Or enter this code on the sign-in page: ([0-9]{6})");

    private final GreenMail greenMail = new GreenMail(Mails.smtps());
    private final TestServer server;
    private final Browser browser;

    {
        server = Mails.serverSendingTo(greenMail, Map.of());
        browser = new Browser(server.origin());
    }

    @AfterEach
    void stop() {
        browser.close();
        server.close();
        greenMail.stop();
    }

    /** From the sign-in page to "enter your code", having asked for a mail to {@code email}; the mail's text. */
    private String askForMail(String email) {
        browser.open("/sign-in");
        browser.click("#sign-in-by-email");
        browser.waitForPath("/sign-in/email");
        browser.check("sign-in-email");
        browser.type("#email", email);
        browser.click("#send-sign-in-mail");
        browser.waitForPath("/sign-in/code");
        browser.waitForText("#notice", "a sign-in link and code are on their way");
        browser.check("sign-in-code");
        assertEquals(email, browser.find("#email").getDomProperty("value"), "the email is carried along");
        return Mails.text(Mails.await(greenMail, SUBJECT));
    }

    private String signedInEmail() {
        return browser.driver.findElement(By.cssSelector(".menu-body .muted")).getDomProperty("textContent").strip();
    }

    @Test
    void the_mailed_link_asks_for_a_click_then_signs_in_afresh_once() {
        server.signUp("grace@example.com");
        server.signUp("mallory@example.com");
        // someone else is signed in to this browser: the link must not join their session
        browser.open("/sign-in");
        browser.type("#email", "mallory@example.com");
        browser.type("#password", "correct horse battery mallory@example.com");
        browser.click("#sign-in");
        browser.waitForPath("/organizations/new");
        String mallorysSession = browser.driver.manage().getCookieNamed(server.sessionCookieName()).getValue();

        Matcher link = LINK.matcher(askForMail("grace@example.com"));
        assertTrue(link.find());
        browser.open(link.group());
        browser.waitForText("h1", "Sign out first");
        browser.waitForText("#signed-in-as", "signed in as mallory@example.com");
        browser.check("sign-in-link-sign-out-first");
        browser.click("#sign-out-first");
        browser.waitForPath("/sign-in");
        assertEquals(401, server.anonymous().withSessionCookie(mallorysSession).get("/api/me").status(),
                "signing out ended the browser's earlier session");

        browser.open(link.group());
        browser.waitForText("h1", "Sign in as grace@example.com?");
        browser.check("sign-in-link");
        browser.click("#confirm-sign-in");
        browser.waitForPath("/organizations/new");
        assertEquals("grace@example.com", signedInEmail());

        browser.open(link.group());
        browser.waitForText("h1", "This sign-in link does not work");
        browser.check("sign-in-link-used");
        browser.click("#new-link");
        browser.waitForPath("/sign-in/email");
    }

    @Test
    void the_mailed_code_signs_in_from_the_code_page() {
        server.signUp("grace@example.com");

        Matcher code = CODE.matcher(askForMail("grace@example.com"));
        assertTrue(code.find());
        browser.type("#code", code.group(1).equals("000000") ? "000001" : "000000");
        browser.click("#sign-in-with-code");
        browser.waitForText("#page-error", "Wrong email or code");
        browser.check("sign-in-code-wrong");
        browser.type("#code", code.group(1));
        browser.click("#sign-in-with-code");
        browser.waitForPath("/organizations/new");
        assertEquals("grace@example.com", signedInEmail());
    }
}
