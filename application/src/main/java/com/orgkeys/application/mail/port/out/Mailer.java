package com.orgkeys.application.mail.port.out;

/**
 * Sends a mail now (the outbox worker calls it, never a request). Throws when the mail was not accepted by the
 * server: the outbox tries again later.
 */
public interface Mailer {
    void send(Mail mail);
}
