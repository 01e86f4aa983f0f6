package com.orgkeys.application.testing;

import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Rows by (key, day); a deleted key's rows go with it, as the foreign key's cascade does. */
public final class InMemoryApiKeyUsageRepository implements ApiKeyUsageRepository {
    private record Row(OrganizationId organizationId, DailyUsage counts, Optional<String> lastAddress) {
    }

    private record RowKey(ApiKeyId id, LocalDate day) {
    }

    private final InMemoryStore store;
    private final Map<RowKey, Row> rows = new TreeMap<>(Comparator.comparing((RowKey k) -> k.id().value())
            .thenComparing(RowKey::day));

    public InMemoryApiKeyUsageRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public synchronized void add(List<KeyDayCounts> counts) {
        for (KeyDayCounts c : counts) {
            Optional<ApiKey> key = store.read(() -> Optional.ofNullable(store.apiKeys().get(c.keyId())));
            if (key.isEmpty()) continue;
            rows.merge(new RowKey(c.keyId(), c.counts().day()), new Row(key.get().organizationId(), c.counts(), c.lastAddress()),
                    (old, added) -> new Row(old.organizationId(), old.counts().plus(added.counts()),
                            added.lastAddress().or(old::lastAddress)));
        }
    }

    @Override
    public synchronized List<DailyUsage> days(OrganizationId organizationId, ApiKeyId id, LocalDate from) {
        List<DailyUsage> found = new ArrayList<>();
        rows.forEach((key, row) -> {
            if (live(key) && key.id().equals(id) && row.organizationId().equals(organizationId) && !key.day().isBefore(from)) {
                found.add(row.counts());
            }
        });
        return found;
    }

    @Override
    public synchronized Optional<String> lastUsedAddress(OrganizationId organizationId, ApiKeyId id) {
        Optional<String> last = Optional.empty();
        for (Map.Entry<RowKey, Row> e : rows.entrySet()) { // in day order
            if (live(e.getKey()) && e.getKey().id().equals(id) && e.getValue().organizationId().equals(organizationId)
                    && e.getValue().lastAddress().isPresent()) {
                last = e.getValue().lastAddress();
            }
        }
        return last;
    }

    @Override
    public synchronized int deleteBefore(LocalDate day, int limit) {
        List<RowKey> due = rows.keySet().stream().filter(k -> k.day().isBefore(day))
                .sorted(Comparator.comparing(RowKey::day)).limit(limit).toList();
        due.forEach(rows::remove);
        return due.size();
    }

    /** Rows of a deleted key are gone (ON DELETE CASCADE). */
    private boolean live(RowKey key) {
        return store.read(() -> store.apiKeys().containsKey(key.id()));
    }
}
