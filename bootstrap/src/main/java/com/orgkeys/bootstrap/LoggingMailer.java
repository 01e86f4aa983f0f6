package com.orgkeys.bootstrap;

import com.orgkeys.application.mail.port.out.EmailChangeMail;
import com.orgkeys.application.mail.port.out.EmailChangedMail;
import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.port.out.Mail;
import com.orgkeys.application.mail.port.out.Mailer;
import com.orgkeys.application.mail.port.out.PasswordChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.application.mail.port.out.WebhookEndpointDisabledMail;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import com.orgkeys.application.mail.port.out.SignInMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Mailer} without SMTP_URL: writes each mail's gist and link to the log, so that orgkeys needs no SMTP
 * server to be tried. Links and codes are secrets of their recipients: behind an https BASE_URL (a deployment, not
 * a trial) they are left out, {@link #withoutSecrets}, and the mail is only said to be unsent.
 */
final class LoggingMailer implements Mailer {
    private static final Logger log = LoggerFactory.getLogger("mail");
    private final boolean secrets;

    LoggingMailer() {
        this(true);
    }

    private LoggingMailer(boolean secrets) {
        this.secrets = secrets;
    }

    /** The same, writing no link or code: whoever reads the log must not be able to sign in as the recipient. */
    LoggingMailer withoutSecrets() {
        return new LoggingMailer(false);
    }

    boolean writesSecrets() {
        return secrets;
    }

    @Override
    public void send(Mail mail) {
        if (!secrets) {
            log.warn("mail: {} to {} not sent: SMTP_URL is not set (links and codes are not logged behind https)",
                    mail.getClass().getSimpleName(), mail.to());
            return;
        }
        switch (mail) {
            case InvitationMail m -> log.info("Invitation for {} to join '{}' as {} from {}: {}", m.to(),
                    m.organizationName(), m.roleName(), m.inviterName(), m.acceptUrl());
            case EmailVerificationMail m -> log.info("Email verification for {}: code {}, or {}", m.to(), m.code(),
                    m.verifyUrl());
            case PasswordChangedMail m -> log.info("Password changed for {}", m.to());
            case PasswordResetMail m -> log.info("Password reset for {}: {}", m.to(), m.resetUrl());
            case SignInMail m -> log.info("Sign-in for {}: code {}, or {}", m.to(), m.code(), m.signInUrl());
            case EmailChangeMail m -> log.info("Email change of {} to {}: {}", m.currentEmail(), m.to(), m.confirmUrl());
            case EmailChangedMail m -> log.info("Email changed from {} to {}", m.to(), m.newEmail());
            case TwoFactorChangedMail m -> log.info("Two-factor sign-in of {}: {}", m.to(), m.change().value());
            case ApiKeyLeakedMail m -> log.info("API key {} ({}) of {} reported leaked and revoked; told {}", m.keyId(),
                    m.keyHint(), m.organizationName(), m.to());
            case WebhookEndpointDisabledMail m -> log.info("Webhook endpoint {} ({}) of {} disabled; told {}",
                    m.endpointId(), m.url(), m.organizationName(), m.to());
        }
    }
}
