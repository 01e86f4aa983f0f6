package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Passkeys in Chromium with its virtual authenticator (a platform authenticator that keeps discoverable credentials
 * and verifies its user): adding one on the two-factor page, then using it as the second step after the password
 * and, alone, to sign in. The browser talks to the server as http://localhost (a relying party id must be a domain,
 * not an IP address), which is the default public origin.
 */
class PasskeyBrowserTest {
    private static final String EMAIL = "grace@example.com";
    private static final String PASSWORD = "correct horse battery " + EMAIL; // as TestServer.signUp chooses it

    private final TestServer server = TestServer.start();
    private final Browser browser = new Browser("http://localhost:" + server.app.port());

    @AfterEach
    void stop() {
        browser.close();
        server.close();
    }

    @Test
    void a_passkey_is_added_renamed_and_then_signs_in_as_second_factor_and_alone() {
        Api grace = server.signUp(EMAIL);
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser.driver).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                        .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));

        signInWithPassword();
        browser.waitForPath("/organizations/new");
        browser.open("/account/two-factor");
        browser.type("#passkey-name", "laptop");
        browser.click("#add-passkey");
        browser.find("#create-passkey");
        browser.check("two-factor-passkey-create");
        browser.click("#create-passkey");
        browser.waitForText("#notice", "Passkey added: two-factor sign-in is on.");
        browser.waitForText("#passkey-list .passkey-name", "laptop");
        assertEquals(10, browser.driver.findElements(By.cssSelector("#recovery-codes li")).size(), "the first factor's codes");
        browser.check("two-factor-passkey-recovery-codes");
        assertEquals(1, authenticator.getCredentials().size());
        assertEquals(1, grace.get("/api/account/two-factor").body().get("passkeys").size());

        browser.type("#passkey-list input[name=name]", "work laptop");
        browser.click("#passkey-list form[action$='/rename'] button");
        browser.waitForText("#notice", "Passkey renamed.");
        browser.waitForText("#passkey-list .passkey-name", "work laptop");
        browser.check("two-factor-passkeys");

        // the passkey is now the account's second factor: after the password, the page asks for it
        browser.driver.manage().deleteAllCookies();
        signInWithPassword();
        browser.find("#second-factor-passkey");
        assertEquals(0, browser.driver.findElements(By.id("second-factor-code")).size(), "no authenticator app");
        browser.find("#second-factor-recovery-code");
        browser.check("sign-in-second-factor-passkey");
        browser.click("#second-factor-passkey");
        browser.waitForPath("/organizations/new");

        // and alone, without the email or the password: the authenticator says whose passkey it is
        browser.driver.manage().deleteAllCookies();
        browser.open("/sign-in");
        browser.click("#sign-in-with-passkey");
        browser.find("#use-passkey");
        browser.check("sign-in-passkey");
        browser.click("#use-passkey");
        browser.waitForPath("/organizations/new");
        assertFalse(grace.get("/api/account/passkeys").body().get("data").get(0).path("lastUsedAt").isNull());
    }

    private void signInWithPassword() {
        browser.open("/sign-in");
        browser.type("#email", EMAIL);
        browser.type("#password", PASSWORD);
        browser.click("#sign-in");
    }
}
