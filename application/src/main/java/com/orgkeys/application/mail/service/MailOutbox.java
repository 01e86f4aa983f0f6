package com.orgkeys.application.mail.service;

import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.application.mail.port.out.WebhookEndpointDisabledMail;
import com.orgkeys.application.mail.port.out.EmailChangeMail;
import com.orgkeys.application.mail.port.out.EmailChangedMail;
import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.port.out.Mail;
import com.orgkeys.application.mail.port.out.Mailer;
import com.orgkeys.application.mail.port.out.PasswordChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import com.orgkeys.application.mail.port.out.SignInMail;
import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.port.out.OutboxRepository;
import com.orgkeys.application.outbox.service.OutboxDelivery;
import com.orgkeys.domain.account.Email;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Mail through the outbox: {@link #enqueue} writes a mail in the caller's transaction; the outbox worker hands it
 * to the {@link Mailer} later, as this kind's {@link OutboxDelivery}.
 */
public final class MailOutbox implements OutboxDelivery {
    public static final String KIND = "mail";

    private final OutboxRepository outbox;
    private final Mailer mailer;
    private final Clock clock;

    public MailOutbox(OutboxRepository outbox, Mailer mailer, Clock clock) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** Call inside the transaction of the change the mail tells about: it is sent only if that commits. */
    public void enqueue(Mail mail) {
        outbox.add(OutboxMessage.of(KIND, encode(mail), clock.instant()));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void deliver(Map<String, String> payload) {
        mailer.send(decode(payload));
    }

    static Map<String, String> encode(Mail mail) {
        return switch (mail) {
            case InvitationMail m -> Map.of("type", "invitation", "to", m.to().value(),
                    "organizationName", m.organizationName(), "inviterName", m.inviterName(),
                    "roleName", m.roleName(), "acceptUrl", m.acceptUrl(), "expiresAt", m.expiresAt().toString());
            case PasswordResetMail m -> Map.of("type", "password_reset", "to", m.to().value(), "name", m.name(),
                    "resetUrl", m.resetUrl(), "expiresAt", m.expiresAt().toString());
            case PasswordChangedMail m -> Map.of("type", "password_changed", "to", m.to().value(), "name", m.name(),
                    "changedAt", m.changedAt().toString());
            case EmailVerificationMail m -> Map.of("type", "email_verification", "to", m.to().value(),
                    "name", m.name(), "verifyUrl", m.verifyUrl(), "code", m.code(),
                    "linkExpiresAt", m.linkExpiresAt().toString(), "codeExpiresAt", m.codeExpiresAt().toString());
            case SignInMail m -> Map.of("type", "sign_in", "to", m.to().value(), "name", m.name(),
                    "signInUrl", m.signInUrl(), "code", m.code(), "expiresAt", m.expiresAt().toString());
            case EmailChangeMail m -> Map.of("type", "email_change", "to", m.to().value(), "name", m.name(),
                    "currentEmail", m.currentEmail().value(), "confirmUrl", m.confirmUrl(),
                    "expiresAt", m.expiresAt().toString());
            case EmailChangedMail m -> Map.of("type", "email_changed", "to", m.to().value(), "name", m.name(),
                    "newEmail", m.newEmail().value(), "changedAt", m.changedAt().toString());
            case TwoFactorChangedMail m -> Map.of("type", "two_factor_changed", "to", m.to().value(), "name", m.name(),
                    "change", m.change().value(), "changedAt", m.changedAt().toString());
            case ApiKeyLeakedMail m -> Map.of("type", "api_key_leaked", "to", m.to().value(), "name", m.name(),
                    "organizationName", m.organizationName(), "keyId", m.keyId(), "keyName", m.keyName(),
                    "keyHint", m.keyHint(), "revokedAt", m.revokedAt().toString(), "foundAt", m.foundAt());
            case WebhookEndpointDisabledMail m -> Map.of("type", "webhook_endpoint_disabled", "to", m.to().value(),
                    "name", m.name(), "organizationName", m.organizationName(), "endpointId", m.endpointId(),
                    "url", m.url(), "failingSince", m.failingSince().toString(), "disabledAt", m.disabledAt().toString());
        };
    }

    static Mail decode(Map<String, String> payload) {
        String type = payload.getOrDefault("type", "");
        return switch (type) {
            case "invitation" -> new InvitationMail(new Email(field(payload, "to")), field(payload, "organizationName"),
                    field(payload, "inviterName"), field(payload, "roleName"), field(payload, "acceptUrl"),
                    Instant.parse(field(payload, "expiresAt")));
            case "password_reset" -> new PasswordResetMail(new Email(field(payload, "to")), field(payload, "name"),
                    field(payload, "resetUrl"), Instant.parse(field(payload, "expiresAt")));
            case "email_verification" -> new EmailVerificationMail(new Email(field(payload, "to")),
                    field(payload, "name"), field(payload, "verifyUrl"), field(payload, "code"),
                    Instant.parse(field(payload, "linkExpiresAt")), Instant.parse(field(payload, "codeExpiresAt")));
            case "password_changed" -> new PasswordChangedMail(new Email(field(payload, "to")), field(payload, "name"),
                    Instant.parse(field(payload, "changedAt")));
            case "sign_in" -> new SignInMail(new Email(field(payload, "to")), field(payload, "name"),
                    field(payload, "signInUrl"), field(payload, "code"), Instant.parse(field(payload, "expiresAt")));
            case "email_change" -> new EmailChangeMail(new Email(field(payload, "to")), field(payload, "name"),
                    new Email(field(payload, "currentEmail")), field(payload, "confirmUrl"),
                    Instant.parse(field(payload, "expiresAt")));
            case "email_changed" -> new EmailChangedMail(new Email(field(payload, "to")), field(payload, "name"),
                    new Email(field(payload, "newEmail")), Instant.parse(field(payload, "changedAt")));
            case "two_factor_changed" -> new TwoFactorChangedMail(new Email(field(payload, "to")), field(payload, "name"),
                    TwoFactorChangedMail.Change.of(field(payload, "change")), Instant.parse(field(payload, "changedAt")));
            case "api_key_leaked" -> new ApiKeyLeakedMail(new Email(field(payload, "to")), field(payload, "name"),
                    field(payload, "organizationName"), field(payload, "keyId"), field(payload, "keyName"),
                    field(payload, "keyHint"), Instant.parse(field(payload, "revokedAt")), field(payload, "foundAt"));
            case "webhook_endpoint_disabled" -> new WebhookEndpointDisabledMail(new Email(field(payload, "to")),
                    field(payload, "name"), field(payload, "organizationName"), field(payload, "endpointId"),
                    field(payload, "url"), Instant.parse(field(payload, "failingSince")),
                    Instant.parse(field(payload, "disabledAt")));
            default -> throw new IllegalArgumentException("unknown mail type '" + type + "'");
        };
    }

    private static String field(Map<String, String> payload, String name) {
        String value = payload.get(name);
        if (value == null) throw new IllegalArgumentException("mail payload without " + name);
        return value;
    }
}
