package com.orgkeys.bootstrap;

import com.orgkeys.application.invitation.port.out.Mailer;
import com.orgkeys.domain.account.Email;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Mailer}: writes the invitation link to the log, so that orgkeys needs no SMTP server.
 * The link is a secret for the invited person; operators who find that unacceptable in logs should plug in
 * real mail delivery.
 */
final class LoggingMailer implements Mailer {
    private static final Logger log = LoggerFactory.getLogger("mail");

    @Override
    public void sendInvitation(Email to, String organizationName, String acceptUrl) {
        log.info("Invitation for {} to join '{}': {}", to, organizationName, acceptUrl);
    }
}
