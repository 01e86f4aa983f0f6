package com.orgkeys.application.apikeyexpiry.port.out;

import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Which keys' expiry notices are still to be settled. A notice is settled once: sent, or found not owed. The lock
 * methods are called inside a transaction: the keys they return stay locked until it ends, and keys another
 * transaction holds (a revocation being written, another node's batch) are skipped, left for the next run.
 */
public interface ExpiryNoticeRepository {
    /** Up to {@code limit} unrevoked keys expiring at or before {@code expiringBy} whose expiring notice is unsettled, soonest first. */
    List<ApiKey> lockDueForExpiringNotice(Instant expiringBy, int limit);

    /** Up to {@code limit} unrevoked keys expired at or before {@code now} whose expired notice is unsettled, soonest first. */
    List<ApiKey> lockDueForExpiredNotice(Instant now, int limit);

    /** Settles the expiring notice of these keys at {@code at}. */
    void settleExpiringNotices(Collection<ApiKeyId> keys, Instant at);

    /** Settles the expired notice of these keys at {@code at}, and their expiring notice if it was not (it no longer can be owed). */
    void settleExpiredNotices(Collection<ApiKeyId> keys, Instant at);
}
