package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With SMTP_URL set, an invitation made over HTTP arrives at a real SMTP server (GreenMail, in this JVM). */
class InvitationMailApiTest {
    private static final String BASE_URL = "https://keys.example.com";

    private final GreenMail greenMail = new GreenMail(Mails.smtps());
    private final TestServer server;

    {
        server = Mails.serverSendingTo(greenMail, Map.of("BASE_URL", BASE_URL));
    }

    @AfterEach
    void stop() {
        server.close();
        greenMail.stop();
    }

    @Test
    void the_invitation_mail_names_organization_inviter_and_role_and_links_under_base_url() throws Exception {
        Api admin = server.signUp("ada@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Analytical Engines")).status());
        var invitation = admin.post("/api/invitations", body("email", "charles@example.com", "role", "org:member"));
        assertEquals(201, invitation.status(), invitation.toString());

        MimeMessage mail = Mails.await(greenMail, "ada invited you to join Analytical Engines on orgkeys");
        assertEquals(new InternetAddress("orgkeys <keys@example.com>"), mail.getFrom()[0]);
        assertEquals("charles@example.com", ((InternetAddress) mail.getAllRecipients()[0]).getAddress());
        assertEquals("ada invited you to join Analytical Engines on orgkeys", mail.getSubject());
        Multipart parts = (Multipart) mail.getContent();
        assertTrue(mail.isMimeType("multipart/alternative"), mail.getContentType());
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain") && parts.getBodyPart(1).isMimeType("text/html"));
        String link = invitation.text("acceptUrl");
        assertTrue(link.startsWith(BASE_URL + "/invitations/accept?token="), link);
        assertTrue(text.contains("ada invited you to join Analytical Engines on orgkeys with the role Member."), text);
        assertTrue(text.contains(link), text);
        assertTrue(html.contains("href=\"" + link + "\""), html);
        assertTrue(html.contains("<strong>Analytical Engines</strong>") && html.contains("<strong>ada</strong>")
                && html.contains("<strong>Member</strong>"), html);

        Api charles = server.signUp("charles@example.com");
        var accepted = charles.post("/api/invitations/accept", body("token", link.substring(link.indexOf("token=") + 6)));
        assertEquals(200, accepted.status(), accepted.toString());
        assertEquals(1, Mails.withSubject(greenMail, "ada invited you to join Analytical Engines on orgkeys").size(),
                "sent once");
    }
}
