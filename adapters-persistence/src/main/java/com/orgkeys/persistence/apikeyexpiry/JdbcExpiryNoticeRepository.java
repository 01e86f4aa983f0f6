package com.orgkeys.persistence.apikeyexpiry;

import com.orgkeys.application.apikeyexpiry.port.out.ExpiryNoticeRepository;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.persistence.apikey.JdbcApiKeyRepository;
import com.orgkeys.persistence.database.Jdbc;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The expiry notices of api_keys (V33, V34): each read is a range of one partial index, soonest expiry first, locking
 * what it returns and skipping what another transaction holds. NO KEY UPDATE: it holds off a revocation's update of
 * the row but not the key-share lock of a usage row's foreign key, so the usage flush never waits on a batch.
 */
public final class JdbcExpiryNoticeRepository implements ExpiryNoticeRepository {
    /** Through api_keys_expiring_notice_due. */
    static final String DUE_FOR_EXPIRING = "SELECT " + JdbcApiKeyRepository.COLUMNS + """
             FROM api_keys
            WHERE expiring_notice_settled_at IS NULL AND revoked_at IS NULL AND expires_at IS NOT NULL
              AND expires_at <= ?
            ORDER BY expires_at LIMIT ? FOR NO KEY UPDATE SKIP LOCKED""";
    /** Through api_keys_expired_notice_due. */
    static final String DUE_FOR_EXPIRED = "SELECT " + JdbcApiKeyRepository.COLUMNS + """
             FROM api_keys
            WHERE expired_notice_settled_at IS NULL AND revoked_at IS NULL AND expires_at IS NOT NULL
              AND expires_at <= ?
            ORDER BY expires_at LIMIT ? FOR NO KEY UPDATE SKIP LOCKED""";

    private final Jdbc jdbc;

    public JdbcExpiryNoticeRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<ApiKey> lockDueForExpiringNotice(Instant expiringBy, int limit) {
        return jdbc.list(DUE_FOR_EXPIRING, JdbcApiKeyRepository::map, expiringBy, limit);
    }

    @Override
    public List<ApiKey> lockDueForExpiredNotice(Instant now, int limit) {
        return jdbc.list(DUE_FOR_EXPIRED, JdbcApiKeyRepository::map, now, limit);
    }

    @Override
    public void settleExpiringNotices(Collection<ApiKeyId> keys, Instant at) {
        if (keys.isEmpty()) return;
        jdbc.update("""
                        UPDATE api_keys SET expiring_notice_settled_at = ?
                        WHERE id = ANY(?::uuid[]) AND expiring_notice_settled_at IS NULL""",
                at, keys.stream().map(ApiKeyId::value).toList());
    }

    @Override
    public void settleExpiredNotices(Collection<ApiKeyId> keys, Instant at) {
        if (keys.isEmpty()) return;
        jdbc.update("""
                        UPDATE api_keys SET expired_notice_settled_at = ?,
                                            expiring_notice_settled_at = COALESCE(expiring_notice_settled_at, ?)
                        WHERE id = ANY(?::uuid[]) AND expired_notice_settled_at IS NULL""",
                at, at, keys.stream().map(ApiKeyId::value).toList());
    }
}
