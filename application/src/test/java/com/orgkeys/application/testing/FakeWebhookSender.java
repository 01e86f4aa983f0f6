package com.orgkeys.application.testing;

import com.orgkeys.application.webhook.port.out.WebhookSender;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.webhook.WebhookUrl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sender that sends nothing: its guard refuses plain http and the hosts a real guard would resolve to inside the
 * network (a few names standing for them); what would have been sent is kept.
 */
public final class FakeWebhookSender implements WebhookSender {
    /** Hosts that "resolve" to private addresses here. */
    public static final Set<String> PRIVATE_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "169.254.169.254",
            "10.0.0.1", "internal.example.com");

    public record Sent(WebhookUrl url, Map<String, String> headers, String body) {
    }

    public final List<Sent> sent = new ArrayList<>();
    /** What the receiver answers. */
    public volatile int status = 204;

    @Override
    public void check(WebhookUrl url) {
        if (!url.isHttps()) throw new InvalidInputException("url", "must be https");
        if (PRIVATE_HOSTS.contains(url.host())) throw new InvalidInputException("url", "resolves to a private address");
    }

    @Override
    public synchronized Response send(WebhookUrl url, Map<String, String> headers, String body) {
        check(url);
        sent.add(new Sent(url, headers, body));
        return new Response(status, "");
    }
}
