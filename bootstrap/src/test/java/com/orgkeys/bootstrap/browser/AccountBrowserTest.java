package com.orgkeys.bootstrap.browser;

import com.icegreen.greenmail.util.GreenMail;
import com.orgkeys.bootstrap.api.Mails;
import com.orgkeys.bootstrap.api.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account page in headless Chromium: a new name, a new email through the mailed link (read from GreenMail), a new
 * password.
 */
class AccountBrowserTest {
    private static final Pattern TOKEN = Pattern.compile("/account/email/confirm\\?token=([A-Za-z0-9_-]{43})");
    private static final String PASSWORD = "correct horse battery staple";

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

    @Test
    void change_the_name_then_the_email_through_the_mailed_link() throws Exception {
        browser.open("/sign-up");
        browser.type("#name", "Grace");
        browser.type("#email", "grace@example.com");
        browser.type("#password", PASSWORD);
        browser.click("#sign-up");
        browser.waitForPath("/organizations/new");

        browser.click("#user-menu");
        browser.click("#account-link");
        browser.waitForPath("/account");
        browser.type("#account-name", "Grace Hopper");
        browser.click("#change-name");
        browser.waitForText("#notice", "Your name is changed");
        browser.waitForText("#user-menu", "Grace Hopper");
        browser.check("account-name-changed");

        browser.type("#new-email", "grace@example.org");
        browser.type("#email-current-password", "not the password");
        browser.click("#change-email");
        browser.waitForText(".field-error", "is not your current password");
        browser.check("account-email-error");
        assertEquals("grace@example.org", browser.find("#new-email").getDomProperty("value"));
        browser.type("#email-current-password", PASSWORD);
        browser.click("#change-email");
        browser.waitForText("#notice", "Check the new address");
        browser.waitForText("#account-email", "grace@example.com");

        MimeMessage mail = Mails.await(greenMail, "Confirm your new email on orgkeys");
        assertEquals("grace@example.org", mail.getAllRecipients()[0].toString());
        Matcher token = TOKEN.matcher(Mails.text(mail));
        assertTrue(token.find());

        browser.open("/account/email/confirm?token=" + token.group(1));
        browser.find("#confirm-email-change");
        browser.check("confirm-email-change");
        browser.click("#confirm-email-change");
        browser.waitForPath("/account");
        browser.waitForText("#notice", "Your email is changed");
        browser.waitForText("#account-email", "grace@example.org");
        MimeMessage notice = Mails.await(greenMail, "Your orgkeys email was changed");
        assertEquals("grace@example.com", notice.getAllRecipients()[0].toString());

        browser.type("#current-password", PASSWORD);
        browser.type("#new-password", "short");
        browser.click("#change-password");
        browser.waitForText(".field-error", "12");
        browser.type("#current-password", PASSWORD);
        browser.type("#new-password", "a brand new passphrase");
        browser.click("#change-password");
        browser.waitForText("#notice", "Your password is changed");
        assertEquals(200, server.anonymous().post("/api/auth/sign-in", com.orgkeys.bootstrap.api.Api.body(
                "email", "grace@example.org", "password", "a brand new passphrase")).status());
    }
}
