package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookUrl;

import java.util.Map;

/** Sends a signed webhook over HTTP, through the server-side request forgery guard. */
public interface WebhookSender {
    /** Refuses a URL deliveries would be refused for (http, an address inside the network): invalid input. */
    void check(WebhookUrl url);

    /** POSTs {@code body}; the receiver's answer, whatever its status. Throws when it was not reached or refused. */
    Response send(WebhookUrl url, Map<String, String> headers, String body);

    /** The status and the start of the answer's body (at most {@link WebhookAttempt#MAX_BODY} characters). */
    record Response(int status, String body) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    /** Not sent: refused by the guard, not reached, timed out. The message says which, without secrets. */
    final class NotSentException extends RuntimeException {
        public NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
