package com.orgkeys.persistence.webhook;

import com.orgkeys.application.webhook.port.out.WebhookSender.NotSentException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.webhook.WebhookUrl;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-side request forgery guard, and what the sender does with what a receiver answers. */
class HttpWebhookSenderTest {
    private final HttpWebhookSender guarded = new HttpWebhookSender(false);
    private final HttpWebhookSender development = new HttpWebhookSender(true);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hooks", "http://[::1]/hooks", "http://169.254.169.254/latest/meta-data/",
            "https://127.0.0.1/hooks", "https://127.1.2.3/", "https://[::1]/", "https://169.254.169.254/",
            "https://localhost/hooks", "https://LOCALHOST./hooks", "https://10.1.2.3/", "https://172.16.0.1/",
            "https://192.168.1.1/", "https://100.64.0.1/", "https://0.0.0.0/", "https://[::]/",
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:169.254.169.254]/", "https://[::127.0.0.1]/",
            "https://[64:ff9b::a00:1]/", "https://[2002:7f00:1::]/", "https://[fd00::1]/", "https://[fc00::1]/",
            "https://[fe80::1]/", "https://224.0.0.1/", "https://255.255.255.255/", "https://2130706433/",
            "https://no-such-host.invalid/"})
    void urls_that_reach_inside_the_network_or_nowhere_are_refused_at_creation_and_at_delivery(String url) {
        WebhookUrl parsed = WebhookUrl.parse(url);

        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> guarded.check(parsed));
        assertEquals("url", refused.errors().getFirst().field());
        assertThrows(NotSentException.class, () -> guarded.send(parsed, Map.of(), "{}"));
    }

    @Test
    void public_addresses_are_allowed_by_the_guard() throws UnknownHostException {
        for (String address : new String[]{"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"}) {
            assertNull(AddressGuard.refusal(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void plain_http_to_loopback_is_sent_only_with_the_development_setting_and_redirects_are_not_followed() throws Exception {
        AtomicInteger followed = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/hooks", exchange -> {
            exchange.getResponseHeaders().add("location", "/elsewhere");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/elsewhere", exchange -> {
            followed.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            WebhookUrl url = WebhookUrl.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
            assertThrows(InvalidInputException.class, () -> guarded.check(url));
            assertThrows(NotSentException.class, () -> guarded.send(url, Map.of(), "{}"));

            development.check(url);
            assertEquals(307, development.send(url, Map.of("content-type", "application/json"), "{}").status());
            assertEquals(0, followed.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a_pinned_host_resolves_to_the_checked_addresses_until_the_delivery_ends() throws Exception {
        String host = "pinned-" + System.nanoTime() + ".invalid";
        InetAddress checked = InetAddress.getByName("192.0.2.10");
        try (AutoCloseable pin = PinnedAddresses.pin(host, new InetAddress[]{checked})) {
            assertEquals(checked, InetAddress.getAllByName(host)[0]);
        }
        String other = "pinned-other-" + System.nanoTime() + ".invalid";
        assertThrows(UnknownHostException.class, () -> InetAddress.getAllByName(other));
    }

    @org.junit.jupiter.api.Test
    void a_failure_is_described_in_words_never_by_an_exception_s_name() {
        for (Throwable cause : java.util.List.of(new java.net.ConnectException("Connection refused"),
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException"),
                new java.io.IOException("java.io.IOException: HTTP/1.1 header parser received no bytes"),
                new java.io.EOFException(), new IllegalStateException("x"))) {
            String described = HttpWebhookSender.describe(cause);
            org.junit.jupiter.api.Assertions.assertFalse(described.contains("Exception"), described);
        }
    }
}
