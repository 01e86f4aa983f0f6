package com.orgkeys.domain.webhook;

import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookEndpointTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "hooks.example.com", "ftp://hooks.example.com/", "https:///path",
            "https://user:pass@hooks.example.com/", "https://hooks.example.com/#frag", "https://hooks.example.com/a b",
            "https://hooks.example.com/\u0000", "https://0x7f.0.0.1/", "javascript:alert(1)", "file:///etc/passwd"})
    void a_url_that_is_not_an_absolute_http_url_to_a_host_is_invalid(String url) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WebhookUrl.parse(url));
        assertEquals("url", e.errors().getFirst().field());
    }

    @Test
    void a_url_longer_than_2048_characters_is_invalid() {
        assertThrows(InvalidInputException.class, () -> WebhookUrl.parse("https://h.example.com/" + "a".repeat(2048)));
        assertEquals("::1", WebhookUrl.parse("https://[::1]:8443/in").host());
    }

    @Test
    void a_generated_secret_is_whsec_and_32_random_bytes_and_never_printed() {
        WebhookSecret secret = WebhookSecret.generate();
        assertTrue(secret.value().startsWith("whsec_"));
        assertEquals(32, secret.key().length);
        assertFalse(secret.toString().contains(secret.value().substring(6)));
        assertFalse(secret.equals(WebhookSecret.generate()));
        assertThrows(InvalidInputException.class, () -> new WebhookSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[8])));
        assertThrows(InvalidInputException.class, () -> new WebhookSecret("sk_" + Base64.getEncoder().encodeToString(new byte[32])));
    }

    @Test
    void a_rotated_endpoint_signs_with_both_secrets_for_24_hours_then_with_the_new_one() {
        WebhookEndpoint endpoint = WebhookEndpoint.create(Optional.empty(), WebhookUrl.parse("https://h.example.com/"),
                "", EventFilter.ALL, T0);
        WebhookSecret next = WebhookSecret.generate();
        WebhookEndpoint rotated = endpoint.rotateSecret(next, T0);

        assertEquals(List.of(next, endpoint.secret()), rotated.signingSecrets(T0.plus(Duration.ofHours(23))));
        assertEquals(List.of(next), rotated.signingSecrets(T0.plus(Duration.ofHours(24))));
    }

    @Test
    void a_filter_lets_through_its_types_and_an_empty_one_everything() {
        assertTrue(EventFilter.ALL.matches("user.created"));
        EventFilter keys = new EventFilter(Set.of("apiKey.created", "apiKey.revoked"));
        assertTrue(keys.matches("apiKey.revoked"));
        assertFalse(keys.matches("user.created"));
        assertThrows(InvalidInputException.class, () -> new EventFilter(Set.of("apiKey.created\u0000")));
        assertThrows(InvalidInputException.class, () -> new EventFilter(Set.of("x".repeat(100))));
    }

    @Test
    void an_organization_s_endpoint_cannot_ask_for_what_only_instance_level_endpoints_are_sent() {
        WebhookUrl url = WebhookUrl.parse("https://h.example.com/");
        Optional<com.orgkeys.domain.organization.OrganizationId> acme =
                Optional.of(com.orgkeys.domain.organization.OrganizationId.random());
        EventFilter accounts = new EventFilter(Set.of("apiKey.created", "session.created", "user.deleted"));
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> WebhookEndpoint.create(acme, url, "", accounts, T0));
        assertEquals("eventTypes", refused.errors().getFirst().field());
        assertEquals("user.deleted, session.created are sent to instance-level endpoints only",
                refused.errors().getFirst().message());
        assertThrows(InvalidInputException.class, () -> WebhookEndpoint.create(acme, url, "",
                new EventFilter(Set.of("organization.deleted")), T0));
        assertEquals(accounts, WebhookEndpoint.create(Optional.empty(), url, "", accounts, T0).filter());

        WebhookEndpoint endpoint = WebhookEndpoint.create(acme, url, "", EventFilter.ALL, T0);
        assertThrows(InvalidInputException.class, () -> endpoint.edit(url, "", accounts, true, T0));
        // one stored before the rule stays editable as long as its filter is kept
        WebhookEndpoint stored = new WebhookEndpoint(endpoint.id(), acme, url, "", accounts, true, endpoint.secret(),
                Optional.empty(), Optional.empty(), Optional.empty(), T0, T0);
        assertFalse(stored.edit(url, "", accounts, false, T0).enabled());
        Set<String> plusKeys = new java.util.HashSet<>(accounts.types());
        plusKeys.add("apiKey.revoked");
        assertEquals(new EventFilter(plusKeys), stored.edit(url, "", new EventFilter(plusKeys), true, T0).filter());
        plusKeys.add("session.ended");
        assertThrows(InvalidInputException.class, () -> stored.edit(url, "", new EventFilter(plusKeys), true, T0),
                "another instance-only type is not given");
        assertEquals(EventFilter.KNOWN_TYPES.size() - EventFilter.INSTANCE_ONLY_TYPES.size(),
                EventFilter.ORGANIZATION_TYPES.size());
        assertTrue(EventFilter.KNOWN_TYPES.containsAll(EventFilter.INSTANCE_ONLY_TYPES));
    }

    @Test
    void the_retry_schedule_is_svix_s_with_at_most_a_tenth_more_and_ends_after_eight_attempts() {
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(Optional.empty(), WebhookRetrySchedule.nextAttempt(8, T0, random));
        Instant next = WebhookRetrySchedule.nextAttempt(1, T0, random).orElseThrow();
        assertTrue(!next.isBefore(T0.plusSeconds(5)) && !next.isAfter(T0.plusMillis(5_500)), next.toString());
        Instant last = WebhookRetrySchedule.nextAttempt(7, T0, random).orElseThrow();
        assertTrue(!last.isBefore(T0.plus(Duration.ofHours(10))) && !last.isAfter(T0.plus(Duration.ofHours(11))));
    }

    @Test
    void a_signature_is_v1_and_the_base64_hmac_of_id_timestamp_and_body() {
        // the example from the Standard Webhooks specification's reference tests
        WebhookSecret secret = new WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.sign(List.of(secret),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"));
    }
}
