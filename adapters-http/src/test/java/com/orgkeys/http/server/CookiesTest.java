package com.orgkeys.http.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CookiesTest {
    @Test
    void an_https_origin_names_every_cookie_with_a_prefix_and_an_http_one_with_none() {
        Cookies https = Cookies.forOrigin(URI.create("https://keys.example.com"));
        assertTrue(https.secure());
        assertEquals(List.of("__Host-orgkeys_session", "__Host-orgkeys_form", "__Secure-orgkeys_flash"),
                List.of(https.session(), https.form(), https.flash()));
        Cookies http = Cookies.forOrigin(URI.create("http://localhost:8080"));
        assertFalse(http.secure());
        assertEquals(List.of("orgkeys_session", "orgkeys_form", "orgkeys_flash"), List.of(http.session(), http.form(), http.flash()));
    }

    @Test
    void a_prefixed_cookie_without_the_attributes_its_prefix_needs_cannot_be_written() {
        assertThrows(IllegalArgumentException.class, () -> SetCookie.of("__Host-x", "v", false));
        assertThrows(IllegalArgumentException.class, () -> SetCookie.of("__Secure-x", "v", false));
        assertThrows(IllegalArgumentException.class, () -> SetCookie.of("__Host-x", "v", true).withPath("/settings"));
        String written = SetCookie.of("__Host-x", "v", true).lasting(Duration.ofMinutes(1), Instant.EPOCH);
        assertTrue(written.startsWith("__Host-x=v; Path=/;") && written.endsWith("; Secure"), written);
        assertTrue(SetCookie.of("__Secure-x", "v", true).withPath("/settings").clearing().contains("Path=/settings"));
    }
}
