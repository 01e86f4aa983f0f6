package com.orgkeys.application.outbox.port.out;

/**
 * The receiver refused a message for good (a mailbox that does not exist, an address it will never accept): trying
 * again cannot help, so the outbox gives the message up at once instead of retrying it for a day. Anything else a
 * delivery throws is taken as passing (a server down, a password being fixed) and retried.
 */
public final class UndeliverableException extends RuntimeException {
    public UndeliverableException(String message, Throwable cause) {
        super(message, cause);
    }
}
