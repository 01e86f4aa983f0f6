package com.orgkeys.bootstrap.browser;

import com.icegreen.greenmail.util.GreenMail;
import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.Mails;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-up, the verification mail and the invitation mail (both read from GreenMail), and accepting the invitation,
 * in headless Chromium: refused until the email is verified, then it lands in the organization.
 */
class EmailVerificationBrowserTest {
    private static final Pattern INVITATION_LINK = Pattern.compile("(https?://\\S+/invitations/accept\\?token=[A-Za-z0-9_%-]+)");
    private static final Pattern VERIFY_LINK = Pattern.compile("(https?://\\S+/verify-email\\?token=[A-Za-z0-9_-]{43})");

    private final GreenMail greenMail = new GreenMail(Mails.smtps());
    private final TestServer server;

    {
        server = Mails.serverSendingTo(greenMail, Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
        greenMail.stop();
    }

    private String link(Pattern pattern, String subject, String to) {
        Matcher link = pattern.matcher(Mails.text(Mails.await(greenMail, subject, to)));
        assertTrue(link.find(), subject);
        return link.group(1);
    }

    @Test
    void sign_up_then_the_mailed_verification_link_then_the_mailed_invitation_lands_in_the_organization() {
        Api ada = server.signUp("ada@example.com");
        assertEquals(201, ada.post("/api/organizations", body("name", "Analytical Engines")).status());
        assertEquals(201, ada.post("/api/invitations", body("email", "charles@example.com", "role", "org:member")).status());
        String invitation = link(INVITATION_LINK, "ada invited you to join Analytical Engines on orgkeys", "charles@example.com");

        // the links are on the public origin, so the browser stays on it
        try (Browser charles = new Browser(invitation.substring(0, invitation.indexOf("/invitations/")))) {
            charles.open(invitation);
            charles.waitForText("#invitation-organization", "Analytical Engines");
            charles.click("#invitation-sign-up");
            charles.waitForPath("/sign-up");
            charles.type("#name", "Charles");
            charles.type("#email", "charles@example.com");
            charles.type("#password", "correct horse battery staple");
            charles.click("#sign-up");
            charles.waitForPath("/invitations/accept");

            // before verifying: every page says how, and the invitation page explains instead of offering a form
            charles.waitForText("#verify-email-banner", "Verify your email address charles@example.com");
            charles.waitForText("#verify-first", "First confirm that this address is yours");
            assertTrue(charles.driver.findElements(By.cssSelector("#accept-invitation")).isEmpty(), "an accept button");
            charles.check("accept-invitation-unverified");

            charles.open(link(VERIFY_LINK, Mails.VERIFICATION_SUBJECT, "charles@example.com"));
            charles.click("#confirm-email");
            charles.waitForText("#notice", "Your email is confirmed.");
            charles.check("verify-email-confirmed");
            assertTrue(charles.driver.findElements(By.cssSelector("#verify-email-banner")).isEmpty(), "banner still shown");

            charles.open(invitation);
            charles.click("#accept-invitation");
            charles.waitForText("#notice", "You joined the organization.");
            assertEquals("Analytical Engines", new Select(charles.find("#org-switch")).getFirstSelectedOption().getText());
        }
    }
}
