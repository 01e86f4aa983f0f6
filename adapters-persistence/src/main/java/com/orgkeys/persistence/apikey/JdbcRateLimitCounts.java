package com.orgkeys.persistence.apikey;

import com.orgkeys.application.apikey.port.out.RateLimitCounts;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.persistence.database.Jdbc;

/** Rate-limit counts in PostgreSQL: one upsert per reported batch, which also drops the key's earlier windows. */
public final class JdbcRateLimitCounts implements RateLimitCounts {
    private final Jdbc jdbc;

    public JdbcRateLimitCounts(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long add(ApiKeyId key, long windowStart, long uses) {
        return jdbc.one("""
                        WITH ended AS (DELETE FROM api_key_rate_counts WHERE api_key_id = ? AND window_start < ?)
                        INSERT INTO api_key_rate_counts AS c (api_key_id, window_start, uses) VALUES (?, ?, ?)
                        ON CONFLICT (api_key_id, window_start) DO UPDATE SET uses = c.uses + EXCLUDED.uses
                        RETURNING uses""",
                row -> row.getLong("uses"), key.value(), windowStart, key.value(), windowStart, uses).orElseThrow();
    }
}
