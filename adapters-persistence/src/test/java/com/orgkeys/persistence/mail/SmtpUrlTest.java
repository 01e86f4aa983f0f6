package com.orgkeys.persistence.mail;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpUrlTest {
    @Test
    void smtp_means_starttls_on_587_unless_a_port_is_given() {
        assertEquals(new SmtpUrl(SmtpUrl.Security.STARTTLS, "mail.example.com", 587, Optional.of("user"), Optional.of("pass")),
                SmtpUrl.parse("smtp://user:pass@mail.example.com"));
        assertEquals(new SmtpUrl(SmtpUrl.Security.STARTTLS, "mail.example.com", 2525, Optional.empty(), Optional.empty()),
                SmtpUrl.parse("SMTP://mail.example.com:2525/"));
    }

    @Test
    void smtps_means_implicit_tls_on_465_unless_a_port_is_given() {
        assertEquals(new SmtpUrl(SmtpUrl.Security.IMPLICIT_TLS, "mail.example.com", 465, Optional.of("user"), Optional.of("pass")),
                SmtpUrl.parse("smtps://user:pass@mail.example.com"));
        assertEquals(465, SmtpUrl.parse("smtps://mail.example.com").port());
        assertEquals(1465, SmtpUrl.parse("smtps://mail.example.com:1465").port());
    }

    @Test
    void smtp_plus_plain_is_plain_text_to_this_machine_only() {
        assertEquals(new SmtpUrl(SmtpUrl.Security.PLAIN_LOOPBACK, "localhost", 1025, Optional.empty(), Optional.empty()),
                SmtpUrl.parse("smtp+plain://localhost:1025"));
        assertEquals(25, SmtpUrl.parse("smtp+plain://127.0.0.1").port());
        assertEquals("smtp+plain://u:***@127.9.8.7:3025", SmtpUrl.parse("smtp+plain://u:hunter2@127.9.8.7:3025").redacted());
        SmtpUrl.parse("smtp+plain://[::1]:1025");
        for (String remote : new String[] {"smtp+plain://mail.example.com:25", "smtp+plain://10.0.0.1:25",
                "smtp+plain://127.0.0.1.example.com", "smtp+plain://localhost.example.com", "smtp+plain://128.0.0.1", "smtp+plain://127.0.0.1.nip.io",
                "smtp+plain://[::2]:25"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmtpUrl.parse(remote), remote);
            assertTrue(e.getMessage().contains("only to this machine"), e.getMessage());
        }
    }

    @Test
    void user_and_password_are_percent_decoded_and_a_plus_stays_a_plus() {
        SmtpUrl url = SmtpUrl.parse("smtp://apikey%40example.com:p%3Ass%2Fw%40rd+1@mail.example.com:587");
        assertEquals(Optional.of("apikey@example.com"), url.user());
        assertEquals(Optional.of("p:ss/w@rd+1"), url.password());
    }

    @Test
    void the_password_is_never_in_its_text_nor_in_a_parse_error() {
        SmtpUrl url = SmtpUrl.parse("smtp://user:hunter2-secret@mail.example.com");
        assertEquals("smtp://user:***@mail.example.com:587", url.toString());
        assertFalse(url.toString().contains("hunter2"));
        for (String bad : new String[]{"http://user:hunter2-secret@mail.example.com",
                "smtp://user:hunter2-secret@mail.example.com/path", "smtp://user:hunter2-secret@mail.example.com?x=1",
                "smtp://user:hunter2 secret@mail.example.com", "smtp://user:hunter2-secret@:25"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmtpUrl.parse(bad), bad);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void other_schemes_and_incomplete_urls_are_refused_with_what_is_expected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmtpUrl.parse("http://mail.example.com"))
                .getMessage().contains("smtp:// (STARTTLS, port 587) or smtps:// (implicit TLS, port 465)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmtpUrl.parse("mail.example.com:587"))
                .getMessage().contains("must start with smtp://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmtpUrl.parse("smtp://user@mail.example.com"))
                .getMessage().contains("user:password@"));
    }

    @Test
    void mail_from_is_one_valid_address_with_an_optional_name() {
        assertEquals("keys@example.com", SmtpMailer.parseFrom("orgkeys <keys@example.com>").getAddress());
        assertEquals("orgkeys", SmtpMailer.parseFrom("orgkeys <keys@example.com>").getPersonal());
        assertThrows(IllegalArgumentException.class, () -> SmtpMailer.parseFrom("not an address"));
        assertThrows(IllegalArgumentException.class, () -> SmtpMailer.parseFrom("a@example.com, b@example.com"));
    }
}
