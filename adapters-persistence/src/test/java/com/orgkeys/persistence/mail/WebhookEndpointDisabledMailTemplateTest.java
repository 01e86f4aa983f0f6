package com.orgkeys.persistence.mail;

import com.orgkeys.application.mail.port.out.WebhookEndpointDisabledMail;
import com.orgkeys.domain.account.Email;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookEndpointDisabledMailTemplateTest {
    private final MailTemplates templates = new MailTemplates(URI.create("https://keys.example.com"));

    @Test
    void the_mail_names_the_endpoint_its_organization_and_the_times_escaped_in_html() {
        var rendered = templates.render(new WebhookEndpointDisabledMail(new Email("ada@example.com"), "Ada", "Acme <b>",
                "0b6f-id", "https://hooks.example.com/in?a=1&b=<2>", Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-07T03:04:05Z")));
        assertEquals("A webhook endpoint of Acme <b> was disabled", rendered.subject());
        for (String part : new String[]{"0b6f-id", "https://hooks.example.com/in?a=1&b=<2>", "2 January 2026, 03:04 UTC",
                "7 January 2026, 03:04 UTC", "Hello Ada"}) {
            assertTrue(rendered.text().contains(part), part + " in\n" + rendered.text());
        }
        assertTrue(rendered.html().contains("Acme &lt;b&gt;"), rendered.html());
        assertTrue(rendered.html().contains("in?a=1&amp;b=&lt;2&gt;"), rendered.html());
        assertFalse(rendered.html().contains("<b>"));
    }
}
