package com.orgkeys.application.webhook.port.in;

import java.util.Optional;

/** Retention: deletes webhook messages, with their deliveries and attempts, once they are old and settled. */
public interface PurgeWebhookHistoryUseCase {
    /** How many messages went; empty when another node is running the job. */
    Optional<Integer> purgeSettled();
}
