package com.orgkeys.persistence.mail;

import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.domain.account.Email;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyLeakedMailTemplateTest {
    private final MailTemplates templates = new MailTemplates(URI.create("https://keys.example.com"));

    private static ApiKeyLeakedMail mail(String foundAt) {
        return new ApiKeyLeakedMail(new Email("ada@example.com"), "Ada", "Acme <b>", "0b6f…-id", "deploy <script>",
                "ok_…Xy12", Instant.parse("2026-01-02T03:04:05Z"), foundAt);
    }

    @Test
    void the_mail_names_the_key_its_organization_the_time_and_where_it_was_found_escaped_in_html() {
        var rendered = templates.render(mail("https://github.com/acme/app/blob/main/.env?a=1&b=<2>"));
        assertEquals("An API key of Acme <b> was leaked and revoked", rendered.subject());
        for (String part : new String[]{"deploy <script>", "ok_…Xy12", "0b6f…-id", "2 January 2026, 03:04 UTC",
                "https://github.com/acme/app/blob/main/.env?a=1&b=<2>", "https://keys.example.com/settings/audit"}) {
            assertTrue(rendered.text().contains(part), part + " in\n" + rendered.text());
        }
        assertTrue(rendered.html().contains("deploy &lt;script&gt;"), rendered.html());
        assertTrue(rendered.html().contains("Acme &lt;b&gt;"), rendered.html());
        assertTrue(rendered.html().contains(".env?a=1&amp;b=&lt;2&gt;"), rendered.html());
        assertFalse(rendered.html().contains("<script>"));
    }

    @Test
    void without_a_url_the_mail_does_not_mention_one() {
        var rendered = templates.render(mail(""));
        assertFalse(rendered.text().contains("Where it was found"), rendered.text());
        assertFalse(rendered.html().contains("Where it was found"), rendered.html());
    }
}
