package com.orgkeys.persistence.apikey;

import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.persistence.database.Jdbc;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcApiKeyUsageRepository implements ApiKeyUsageRepository {
    /** (key, day) rows per statement: each statement is one short transaction, whatever the flush's size. */
    static final int CHUNK = 1_000;

    private final Jdbc jdbc;

    public JdbcApiKeyUsageRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(List<KeyDayCounts> counts) {
        if (counts.isEmpty()) return;
        // one entry per (key, day): an upsert may not touch a row twice; in (key, day) order, so that two nodes
        // adding to the same rows lock them in the same order
        Map<List<Object>, KeyDayCounts> merged = new LinkedHashMap<>();
        for (KeyDayCounts c : counts) {
            merged.merge(List.of(c.keyId(), c.counts().day()), c, (a, b) -> new KeyDayCounts(a.keyId(),
                    a.counts().plus(b.counts()), b.lastAddress().or(a::lastAddress)));
        }
        List<KeyDayCounts> sorted = new ArrayList<>(merged.values());
        sorted.sort(Comparator.comparing((KeyDayCounts c) -> c.keyId().value()).thenComparing(c -> c.counts().day()));
        for (int from = 0; from < sorted.size(); from += CHUNK) {
            List<KeyDayCounts> chunk = sorted.subList(from, Math.min(sorted.size(), from + CHUNK));
            jdbc.inTransaction(() -> {
                // an index lookup per key, not a hash of the whole api_keys table (as in recordLastUsed)
                jdbc.update("SET LOCAL enable_hashjoin = off");
                jdbc.update("SET LOCAL enable_mergejoin = off");
                return jdbc.update("""
                                INSERT INTO api_key_usage_days AS d (api_key_id, day, organization_id, success,
                                                                     scope_refused, rate_limited, ip_refused, last_address)
                                SELECT u.id, u.day, k.organization_id, u.success, u.scope_refused, u.rate_limited,
                                       u.ip_refused, NULLIF(u.address, '')
                                FROM unnest(?::uuid[], ?::date[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                                            ?::text[]) AS u(id, day, success, scope_refused, rate_limited, ip_refused, address)
                                JOIN api_keys k ON k.id = u.id
                                ORDER BY u.id, u.day
                                ON CONFLICT (api_key_id, day) DO UPDATE SET
                                    success = d.success + EXCLUDED.success,
                                    scope_refused = d.scope_refused + EXCLUDED.scope_refused,
                                    rate_limited = d.rate_limited + EXCLUDED.rate_limited,
                                    ip_refused = d.ip_refused + EXCLUDED.ip_refused,
                                    last_address = COALESCE(EXCLUDED.last_address, d.last_address)""",
                        chunk.stream().map(c -> c.keyId().value()).toList(),
                        chunk.stream().map(c -> c.counts().day()).toList(),
                        chunk.stream().map(c -> c.counts().success()).toList(),
                        chunk.stream().map(c -> c.counts().scopeRefused()).toList(),
                        chunk.stream().map(c -> c.counts().rateLimited()).toList(),
                        chunk.stream().map(c -> c.counts().ipRefused()).toList(),
                        chunk.stream().map(c -> c.lastAddress().orElse("")).toList());
            });
        }
    }

    @Override
    public List<DailyUsage> days(OrganizationId organizationId, ApiKeyId id, LocalDate from) {
        return jdbc.list("""
                        SELECT day, success, scope_refused, rate_limited, ip_refused FROM api_key_usage_days
                        WHERE api_key_id = ? AND organization_id = ? AND day >= ? ORDER BY day""",
                row -> new DailyUsage(row.getObject("day", LocalDate.class), row.getLong("success"),
                        row.getLong("scope_refused"), row.getLong("rate_limited"), row.getLong("ip_refused")),
                id.value(), organizationId.value(), from);
    }

    @Override
    public Optional<String> lastUsedAddress(OrganizationId organizationId, ApiKeyId id) {
        return jdbc.one("""
                        SELECT last_address FROM api_key_usage_days
                        WHERE api_key_id = ? AND organization_id = ? AND last_address IS NOT NULL
                        ORDER BY day DESC LIMIT 1""",
                row -> row.getString("last_address"), id.value(), organizationId.value());
    }

    @Override
    public int deleteBefore(LocalDate day, int limit) {
        return jdbc.update("""
                DELETE FROM api_key_usage_days WHERE (api_key_id, day) IN (
                    SELECT api_key_id, day FROM api_key_usage_days WHERE day < ? ORDER BY day LIMIT ?)""", day, limit);
    }
}
