package com.orgkeys.application.outbox.service;

import java.util.Map;

/** Delivers one kind of outbox message (mail; later webhooks). Throws when it could not: the message is retried. */
public interface OutboxDelivery {
    /** The {@code kind} this delivery handles. */
    String kind();

    void deliver(Map<String, String> payload);
}
