package com.orgkeys.persistence.mail;

import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.application.mail.port.out.WebhookEndpointDisabledMail;
import com.orgkeys.application.mail.port.out.EmailChangeMail;
import com.orgkeys.application.mail.port.out.EmailChangedMail;
import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.port.out.Mail;
import com.orgkeys.application.mail.port.out.PasswordChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import com.orgkeys.application.mail.port.out.SignInMail;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Renders each mail twice from jte templates compiled with the module: {@code src/main/jte-text} as plain text,
 * {@code src/main/jte} as HTML (escaped). Both name the product and link to its public origin (BASE_URL).
 */
public final class MailTemplates {
    public static final String PRODUCT = "orgkeys";
    private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** What a mail says, ready to send. */
    public record Rendered(String subject, String text, String html) {
    }

    /** The product and its public origin, for every template. */
    public record Site(String product, String baseUrl) {
    }

    private final TemplateEngine html = TemplateEngine.createPrecompiled(null, ContentType.Html,
            MailTemplates.class.getClassLoader(), "gg.jte.generated.mail.html");
    private final TemplateEngine text = TemplateEngine.createPrecompiled(null, ContentType.Plain,
            MailTemplates.class.getClassLoader(), "gg.jte.generated.mail.text");
    private final Site site;

    public MailTemplates(URI origin) {
        this.site = new Site(PRODUCT, origin.toString());
    }

    public Rendered render(Mail mail) {
        return switch (mail) {
            case InvitationMail m -> rendered("mail/invitation.jte",
                    m.inviterName() + " invited you to join " + m.organizationName() + " on " + PRODUCT,
                    Map.of("site", site, "mail", m, "expires", EXPIRES.format(m.expiresAt())));
            case EmailVerificationMail m -> rendered("mail/email_verification.jte",
                    "Confirm your email on " + PRODUCT,
                    Map.of("site", site, "mail", m, "linkExpires", EXPIRES.format(m.linkExpiresAt()),
                            "codeExpires", EXPIRES.format(m.codeExpiresAt())));
            case PasswordChangedMail m -> rendered("mail/password_changed.jte", "Your " + PRODUCT + " password was changed",
                    Map.of("site", site, "mail", m, "changed", EXPIRES.format(m.changedAt())));
            case PasswordResetMail m -> rendered("mail/password_reset.jte", "Reset your " + PRODUCT + " password",
                    Map.of("site", site, "mail", m, "expires", EXPIRES.format(m.expiresAt())));
            case SignInMail m -> rendered("mail/sign_in.jte", "Sign in to " + PRODUCT,
                    Map.of("site", site, "mail", m, "expires", EXPIRES.format(m.expiresAt())));
            case EmailChangeMail m -> rendered("mail/email_change.jte", "Confirm your new email on " + PRODUCT,
                    Map.of("site", site, "mail", m, "expires", EXPIRES.format(m.expiresAt())));
            case EmailChangedMail m -> rendered("mail/email_changed.jte", "Your " + PRODUCT + " email was changed",
                    Map.of("site", site, "mail", m, "changed", EXPIRES.format(m.changedAt())));
            case TwoFactorChangedMail m -> rendered("mail/two_factor_changed.jte",
                    "Two-factor sign-in changed on your " + PRODUCT + " account",
                    Map.of("site", site, "mail", m, "changed", EXPIRES.format(m.changedAt())));
            case ApiKeyLeakedMail m -> rendered("mail/api_key_leaked.jte",
                    "An API key of " + m.organizationName() + " was leaked and revoked",
                    Map.of("site", site, "mail", m, "revoked", EXPIRES.format(m.revokedAt())));
            case WebhookEndpointDisabledMail m -> rendered("mail/webhook_endpoint_disabled.jte",
                    "A webhook endpoint of " + m.organizationName() + " was disabled",
                    Map.of("site", site, "mail", m, "failing", EXPIRES.format(m.failingSince()),
                            "disabled", EXPIRES.format(m.disabledAt())));
        };
    }

    private Rendered rendered(String template, String subject, Map<String, Object> params) {
        StringOutput textOut = new StringOutput();
        text.render(template, params, textOut);
        StringOutput htmlOut = new StringOutput();
        html.render(template, params, htmlOut);
        return new Rendered(subject.replaceAll("\\p{Cntrl}", " "), textOut.toString(), htmlOut.toString());
    }
}
