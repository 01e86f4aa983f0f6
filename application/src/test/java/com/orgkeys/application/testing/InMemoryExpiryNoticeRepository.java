package com.orgkeys.application.testing;

import com.orgkeys.application.apikeyexpiry.port.out.ExpiryNoticeRepository;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The keys' expiry notices beside the fake's keys; transactions run one at a time, so nothing is ever skipped. */
public final class InMemoryExpiryNoticeRepository implements ExpiryNoticeRepository {
    private final InMemoryStore store;

    public InMemoryExpiryNoticeRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public List<ApiKey> lockDueForExpiringNotice(Instant expiringBy, int limit) {
        return due(expiringBy, limit, InMemoryStore.SettledExpiryNotices::expiring);
    }

    @Override
    public List<ApiKey> lockDueForExpiredNotice(Instant now, int limit) {
        return due(now, limit, InMemoryStore.SettledExpiryNotices::expired);
    }

    private List<ApiKey> due(Instant expiringBy, int limit,
                             Function<InMemoryStore.SettledExpiryNotices, Optional<Instant>> settled) {
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.revokedAt().isEmpty() && k.expiresAt().isPresent()
                        && !k.expiresAt().get().isAfter(expiringBy))
                .filter(k -> settled.apply(notices(k.id())).isEmpty())
                .sorted(Comparator.comparing((ApiKey k) -> k.expiresAt().get()))
                .limit(limit).toList());
    }

    @Override
    public void settleExpiringNotices(Collection<ApiKeyId> keys, Instant at) {
        store.write(() -> keys.forEach(id -> {
            var n = notices(id);
            if (n.expiring().isEmpty()) store.apiKeyExpiryNotices().put(id,
                    new InMemoryStore.SettledExpiryNotices(Optional.of(at), n.expired()));
        }));
    }

    @Override
    public void settleExpiredNotices(Collection<ApiKeyId> keys, Instant at) {
        store.write(() -> keys.forEach(id -> {
            var n = notices(id);
            if (n.expired().isEmpty()) store.apiKeyExpiryNotices().put(id,
                    new InMemoryStore.SettledExpiryNotices(n.expiring().or(() -> Optional.of(at)), Optional.of(at)));
        }));
    }

    private InMemoryStore.SettledExpiryNotices notices(ApiKeyId id) {
        return store.apiKeyExpiryNotices().getOrDefault(id, InMemoryStore.SettledExpiryNotices.NONE);
    }
}
