package com.orgkeys.domain.webhook;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WebhookUrlTest {
    @Test
    void without_query_keeps_scheme_host_port_and_path_and_drops_the_query() {
        assertEquals("https://hooks.example.com/in",
                WebhookUrl.parse("https://hooks.example.com/in?token=abc&x=%20").withoutQuery());
        assertEquals("https://hooks.example.com:8443/a%20b/c",
                WebhookUrl.parse("HTTPS://hooks.example.com:8443/a%20b/c?").withoutQuery());
        assertEquals("https://hooks.example.com", WebhookUrl.parse("https://hooks.example.com?token=abc").withoutQuery());
        assertEquals("http://[::1]:9000/x", WebhookUrl.parse("http://[::1]:9000/x?k=v").withoutQuery());
        assertEquals("https://hooks.example.com/in", WebhookUrl.parse("https://hooks.example.com/in").withoutQuery());
    }
}
