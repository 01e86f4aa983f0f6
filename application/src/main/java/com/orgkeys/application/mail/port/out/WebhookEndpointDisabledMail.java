package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

import java.time.Instant;
import java.util.Objects;

/**
 * Tells an admin of {@code organizationName} that its webhook endpoint {@code endpointId} ({@code url}) failed every
 * delivery since {@code failingSince} and was disabled at {@code disabledAt}.
 */
public record WebhookEndpointDisabledMail(Email to, String name, String organizationName, String endpointId,
                                          String url, Instant failingSince, Instant disabledAt) implements Mail {
    public WebhookEndpointDisabledMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(failingSince, "failingSince");
        Objects.requireNonNull(disabledAt, "disabledAt");
    }
}
