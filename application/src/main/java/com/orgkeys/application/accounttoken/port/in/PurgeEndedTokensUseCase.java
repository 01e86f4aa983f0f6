package com.orgkeys.application.accounttoken.port.in;

import java.util.Optional;

/** Retention: deletes one-time account tokens used or expired longer ago than the retention period. */
public interface PurgeEndedTokensUseCase {
    /** How many went; empty when another node is running the job. */
    Optional<Integer> purgeEnded();
}
