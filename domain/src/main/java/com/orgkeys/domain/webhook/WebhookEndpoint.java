package com.orgkeys.domain.webhook;

import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.InvalidInputException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where events are sent and how they are signed. {@code organization} empty: an instance-level endpoint (every
 * organization's events, managed with a secret key). After a rotation the previous secret still signs until
 * {@code previousSecretUntil}, so that receivers can switch without missing a delivery. {@code failingSince}: when
 * the first failed delivery since the last success was made; an endpoint failing for {@link #DISABLE_AFTER} is
 * disabled.
 */
public record WebhookEndpoint(WebhookEndpointId id, Optional<OrganizationId> organization, WebhookUrl url,
                              String description, EventFilter filter, boolean enabled, WebhookSecret secret,
                              Optional<WebhookSecret> previousSecret, Optional<Instant> previousSecretUntil,
                              Optional<Instant> failingSince, Instant createdAt, Instant updatedAt) {
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    public static final Duration DISABLE_AFTER = Duration.ofDays(5);
    public static final int MAX_DESCRIPTION = 500;

    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(url, "url");
        description = description == null ? "" : description.strip();
        if (description.length() > MAX_DESCRIPTION) throw new InvalidInputException("description", "at most 500 characters");
        if (description.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            throw new InvalidInputException("description", "must not contain control characters");
        }
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(previousSecret, "previousSecret");
        Objects.requireNonNull(previousSecretUntil, "previousSecretUntil");
        if (previousSecret.isPresent() != previousSecretUntil.isPresent()) {
            throw new IllegalArgumentException("a previous secret has an end, and only then");
        }
        Objects.requireNonNull(failingSince, "failingSince");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new, enabled endpoint with a fresh secret. */
    public static WebhookEndpoint create(Optional<OrganizationId> organization, WebhookUrl url, String description,
                                         EventFilter filter, Instant now) {
        if (organization.isPresent()) filter.requireReceivableByAnOrganization();
        return new WebhookEndpoint(WebhookEndpointId.random(), organization, url, description, filter, true,
                WebhookSecret.generate(), Optional.empty(), Optional.empty(), Optional.empty(), now, now);
    }

    /**
     * The endpoint with these settings. Enabling a disabled endpoint clears its failure streak, so that its five
     * days start again; deliveries it missed while disabled are not sent unless replayed. An organization's endpoint
     * may not be given an instance-only type; one it was given before that rule keeps it until taken out.
     */
    public WebhookEndpoint edit(WebhookUrl newUrl, String newDescription, EventFilter newFilter, boolean nowEnabled,
                                Instant now) {
        if (organization.isPresent()) {
            Set<String> added = new HashSet<>(newFilter.types());
            added.removeAll(filter.types());
            new EventFilter(added).requireReceivableByAnOrganization();
        }
        Optional<Instant> failing = nowEnabled && !enabled ? Optional.empty() : failingSince;
        return new WebhookEndpoint(id, organization, newUrl, newDescription, newFilter, nowEnabled, secret,
                previousSecret, previousSecretUntil, failing, createdAt, now);
    }

    /** A new secret; the current one keeps signing beside it for {@link #ROTATION_OVERLAP}. */
    public WebhookEndpoint rotateSecret(WebhookSecret next, Instant now) {
        return new WebhookEndpoint(id, organization, url, description, filter, enabled, next, Optional.of(secret),
                Optional.of(now.plus(ROTATION_OVERLAP)), failingSince, createdAt, now);
    }

    /** The secrets a delivery at {@code now} is signed with: the current one, and the previous one until its end. */
    public List<WebhookSecret> signingSecrets(Instant now) {
        List<WebhookSecret> secrets = new ArrayList<>(List.of(secret));
        if (previousSecret.isPresent() && now.isBefore(previousSecretUntil.get())) secrets.add(previousSecret.get());
        return List.copyOf(secrets);
    }

    public boolean receives(String type) {
        return enabled && filter.matches(type);
    }

    /** Whether an endpoint failing since {@code failingSince} has failed long enough at {@code now} to be disabled. */
    public static boolean failedTooLong(Instant failingSince, Instant now) {
        return !now.isBefore(failingSince.plus(DISABLE_AFTER));
    }
}
