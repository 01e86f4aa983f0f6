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

/** Forgot password in headless Chromium: the form, the mail (read from GreenMail), the reset page, signing in. */
class PasswordResetBrowserTest {
    private static final Pattern TOKEN = Pattern.compile("/reset-password\\?token=([A-Za-z0-9_-]{43})");

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
    void forgot_password_then_the_mailed_link_then_sign_in_with_the_new_password() throws Exception {
        server.signUp("grace@example.com");

        browser.open("/sign-in");
        browser.click("#forgot-password");
        browser.waitForPath("/forgot-password");
        browser.check("forgot-password");
        browser.type("#email", "grace@example.com");
        browser.click("#send-reset-link");
        browser.waitForPath("/forgot-password/sent");
        browser.waitForText("h1", "Check your mail");
        browser.check("forgot-password-sent");

        MimeMessage mail = Mails.await(greenMail, "Reset your orgkeys password");
        assertEquals("grace@example.com", mail.getAllRecipients()[0].toString());
        Matcher token = TOKEN.matcher(Mails.text(mail));
        assertTrue(token.find());

        browser.open("/reset-password?token=" + token.group(1));
        browser.find("#password");
        browser.check("reset-password");
        browser.type("#password", "a brand new passphrase");
        browser.click("#set-password");
        browser.waitForPath("/sign-in");
        browser.waitForText("#notice", "Your password is changed");
        browser.check("sign-in-after-reset");

        browser.type("#email", "grace@example.com");
        browser.type("#password", "a brand new passphrase");
        browser.click("#sign-in");
        browser.waitForPath("/organizations/new");

        // the link, opened again, says at once that it is used rather than offer a form that will fail
        browser.click("#user-menu");
        browser.click("#sign-out");
        browser.waitForPath("/sign-in");
        browser.open("/reset-password?token=" + token.group(1));
        browser.waitForText("#page-error", "This reset link is not valid");
        browser.check("reset-password-used");
        assertTrue(browser.driver.findElements(org.openqa.selenium.By.id("set-password")).isEmpty());
        browser.click("#new-reset-link");
        browser.waitForPath("/forgot-password");
    }
}
