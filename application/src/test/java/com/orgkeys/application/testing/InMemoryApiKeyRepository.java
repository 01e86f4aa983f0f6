package com.orgkeys.application.testing;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public final class InMemoryApiKeyRepository implements ApiKeyRepository {
    /** As the SQL orders: created_at descending, then id descending (uuid order = lower-case hex order). */
    private static final Comparator<Cursor.Key> NEWEST_FIRST = Cursor.Key.order(true, Comparator.naturalOrder());

    private final InMemoryStore store;
    private final Map<OrganizationId, RateLimit> defaultRateLimits = new java.util.concurrent.ConcurrentHashMap<>();

    public InMemoryApiKeyRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(ApiKey key) {
        store.write(() -> {
            InMemoryStore.requireReference(store.organizations().containsKey(key.organizationId()), "organization");
            boolean taken = store.apiKeys().containsKey(key.id()) || store.apiKeys().values().stream()
                    .anyMatch(k -> k.secretHash().equals(key.secretHash()));
            if (taken) throw new ConflictException("already exists");
            store.apiKeys().put(key.id(), key);
        });
    }

    @Override
    public boolean insertOnce(ApiKey key, String requestHash) {
        return store.writeAndAnswer(() -> {
            boolean made = store.apiKeyRequests().entrySet().stream().anyMatch(e -> e.getValue().equals(requestHash)
                    && store.apiKeys().containsKey(e.getKey())
                    && store.apiKeys().get(e.getKey()).organizationId().equals(key.organizationId()));
            if (made) return false;
            insert(key);
            store.apiKeyRequests().put(key.id(), requestHash);
            return true;
        });
    }

    @Override
    public Optional<ApiKey> find(OrganizationId organizationId, ApiKeyId id) {
        return store.read(() -> Optional.ofNullable(store.apiKeys().get(id))
                .filter(k -> k.organizationId().equals(organizationId)));
    }

    @Override
    public Optional<OrganizationId> organizationOf(ApiKeyId id) {
        return store.read(() -> Optional.ofNullable(store.apiKeys().get(id)).map(ApiKey::organizationId));
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.secretHashes().contains(secretHash)).findFirst().map(this::asVerified));
    }

    /**
     * As verification applies it: the organization's default rate limit for a key without its own; a user's key
     * with the scopes its owner holds there now (the store's membership and roles, as the SQL joins them).
     */
    private ApiKey asVerified(ApiKey k) {
        ApiKey verified = k;
        if (k.owner().isPresent()) {
            Membership membership = store.memberships().get(new InMemoryStore.MembershipKey(k.organizationId(), k.owner().get()));
            Set<Permission> held = membership == null ? Set.of() : Role.builtIn(membership.role()).map(Role::permissions)
                    .or(() -> Optional.ofNullable(store.roles().get(new InMemoryStore.RoleId(k.organizationId(), membership.role())))
                            .map(Role::permissions))
                    .orElse(Set.of());
            // held back by the organization's two-factor requirement, as the owner's session would be: no scopes
            boolean secondFactorMissing = Optional.ofNullable(store.organizations().get(k.organizationId()))
                    .filter(o -> o.twoFactorRequired()).isPresent()
                    && Optional.ofNullable(store.totpFactors().get(k.owner().get())).filter(t -> t.enabled()).isEmpty()
                    && store.passkeys().values().stream().noneMatch(p -> p.userId().equals(k.owner().get()));
            verified = k.withScopes(k.effectiveScopes(secondFactorMissing ? Set.of() : held));
        }
        if (k.rateLimit().isPresent()) return verified;
        Optional<RateLimit> fallback = defaultRateLimit(k.organizationId());
        return fallback.isEmpty() ? verified : withRateLimit(verified, fallback);
    }

    private static ApiKey withRateLimit(ApiKey k, Optional<RateLimit> rateLimit) {
        return new ApiKey(k.id(), k.organizationId(), k.name(), k.description(), k.scopes(), k.secretHash(), k.hint(),
                k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt(), k.revocationReason(),
                k.disabledAt(), k.updatedAt(), k.rotation(), k.allowlist(), rateLimit, k.owner());
    }

    @Override
    public List<ApiKey> revokeOwnedBy(UserId owner, Optional<OrganizationId> organization, String reason, Instant now) {
        return store.writeAndAnswer(() -> {
            List<ApiKey> revoked = new java.util.ArrayList<>();
            for (ApiKey k : List.copyOf(store.apiKeys().values())) {
                if (!k.owner().equals(Optional.of(owner)) || organization.filter(o -> !o.equals(k.organizationId())).isPresent()
                        || k.isFinishedAt(now)) continue;
                ApiKey r = k.revoke(Optional.of(reason), now);
                store.apiKeys().put(k.id(), r);
                revoked.add(r);
            }
            return revoked;
        });
    }

    @Override
    public List<String> forgetOwnedBy(OrganizationId organization, UserId owner) {
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.organizationId().equals(organization) && k.owner().equals(Optional.of(owner))
                        && k.revokedAt().isEmpty())
                .flatMap(k -> k.secretHashes().stream()).toList());
    }

    @Override
    public List<String> forgetOwnedIn(OrganizationId organization) {
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.organizationId().equals(organization) && k.owner().isPresent() && k.revokedAt().isEmpty())
                .flatMap(k -> k.secretHashes().stream()).toList());
    }

    @Override
    public int countWorkingOwnedBy(OrganizationId organization, UserId owner, Instant now) {
        return store.read(() -> (int) store.apiKeys().values().stream()
                .filter(k -> k.organizationId().equals(organization) && k.owner().equals(Optional.of(owner))
                        && !k.isFinishedAt(now)).count());
    }

    @Override
    public List<String> forgetAllOwnedBy(UserId owner) {
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.owner().equals(Optional.of(owner)) && k.revokedAt().isEmpty())
                .flatMap(k -> k.secretHashes().stream()).toList());
    }

    @Override
    public List<String> forgetOwnedByHoldersOf(OrganizationId organization, RoleKey role) {
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.organizationId().equals(organization) && k.revokedAt().isEmpty() && k.owner().isPresent())
                .filter(k -> Optional.ofNullable(store.memberships().get(new InMemoryStore.MembershipKey(organization,
                        k.owner().get()))).filter(m -> m.role().equals(role)).isPresent())
                .flatMap(k -> k.secretHashes().stream()).toList());
    }

    @Override
    public Optional<RateLimit> defaultRateLimit(OrganizationId organizationId) {
        return Optional.ofNullable(defaultRateLimits.get(organizationId));
    }

    @Override
    public List<String> setDefaultRateLimit(OrganizationId organizationId, Optional<RateLimit> rateLimit) {
        if (rateLimit.isPresent()) defaultRateLimits.put(organizationId, rateLimit.get());
        else defaultRateLimits.remove(organizationId);
        return store.read(() -> store.apiKeys().values().stream()
                .filter(k -> k.organizationId().equals(organizationId)).flatMap(k -> k.secretHashes().stream()).toList());
    }

    @Override
    public Map<String, ApiKey> findByHashes(Collection<String> secretHashes) {
        Set<String> wanted = Set.copyOf(secretHashes);
        return store.read(() -> {
            Map<String, ApiKey> found = new HashMap<>();
            for (ApiKey k : store.apiKeys().values()) {
                for (String hash : k.secretHashes()) if (wanted.contains(hash)) found.put(hash, asVerified(k));
            }
            return found;
        });
    }

    @Override
    public Page<ApiKey> page(OrganizationId organizationId, Filter filter, PageRequest page) {
        return store.read(() -> Page.of(store.apiKeys().values().stream()
                .filter(k -> k.organizationId().equals(organizationId))
                .filter(k -> matchesText(k, filter.text()))
                .filter(k -> filter.status() == null || k.statusAt(filter.now()) == filter.status())
                .filter(k -> filter.subject() == null || k.subject().equals(filter.subject()))
                .sorted(Comparator.comparing(InMemoryApiKeyRepository::key, NEWEST_FIRST)).toList(), page,
                InMemoryApiKeyRepository::key, NEWEST_FIRST,
                filter.cursorList(organizationId), Page.countCap(filter.text())));
    }

    private static Cursor.Key key(ApiKey key) {
        return new Cursor.Key(key.createdAt(), key.id().value().toString());
    }

    /** ILIKE '%text%' with % and _ escaped: a plain case-insensitive substring test. */
    private static boolean matchesText(ApiKey key, String text) {
        if (text == null) return true;
        String needle = text.toLowerCase(Locale.ROOT);
        return key.name().toLowerCase(Locale.ROOT).contains(needle)
                || key.description().toLowerCase(Locale.ROOT).contains(needle)
                || key.hint().toLowerCase(Locale.ROOT).contains(needle);
    }

    @Override
    public boolean markRevoked(ApiKey key) {
        boolean[] revoked = {false};
        store.write(() -> store.apiKeys().computeIfPresent(key.id(), (id, k) -> {
            if (!k.organizationId().equals(key.organizationId()) || k.revokedAt().isPresent()) return k;
            revoked[0] = true;
            return new ApiKey(k.id(), k.organizationId(), k.name(), k.description(), k.scopes(), k.secretHash(),
                        k.hint(), k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), key.revokedAt(),
                        key.revocationReason(), k.disabledAt(), key.updatedAt(), k.rotation(),
                        k.allowlist(), k.rateLimit(), k.owner());
        }));
        return revoked[0];
    }

    @Override
    public boolean update(ApiKey key) {
        boolean[] updated = {false};
        store.write(() -> store.apiKeys().computeIfPresent(key.id(), (id, k) -> {
            if (!k.organizationId().equals(key.organizationId()) || k.revokedAt().isPresent()) return k;
            updated[0] = true;
            return new ApiKey(k.id(), k.organizationId(), key.name(), key.description(), key.scopes(), k.secretHash(),
                    k.hint(), k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt(),
                    k.revocationReason(), key.disabledAt(), key.updatedAt(), k.rotation(),
                    key.allowlist(), key.rateLimit(), k.owner());
        }));
        return updated[0];
    }

    @Override
    public boolean describe(ApiKey key) {
        boolean[] updated = {false};
        store.write(() -> store.apiKeys().computeIfPresent(key.id(), (id, k) -> {
            if (!k.organizationId().equals(key.organizationId()) || k.revokedAt().isPresent()) return k;
            updated[0] = true;
            return new ApiKey(k.id(), k.organizationId(), key.name(), key.description(), k.scopes(), k.secretHash(),
                    k.hint(), k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt(),
                    k.revocationReason(), k.disabledAt(), key.updatedAt(), k.rotation(), k.allowlist(), k.rateLimit(),
                    k.owner());
        }));
        return updated[0];
    }

    @Override
    public boolean rotate(ApiKey rotated, String replacedSecretHash, Collection<String> forget) {
        boolean[] stored = {false};
        store.write(() -> store.apiKeys().computeIfPresent(rotated.id(), (id, k) -> {
            if (!k.organizationId().equals(rotated.organizationId()) || k.revokedAt().isPresent()
                    || !k.secretHash().equals(replacedSecretHash)) return k;
            stored[0] = true;
            return new ApiKey(k.id(), k.organizationId(), k.name(), k.description(), k.scopes(), rotated.secretHash(),
                    rotated.hint(), k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt(),
                    k.revocationReason(), k.disabledAt(), rotated.updatedAt(), rotated.rotation(), k.allowlist(),
                    k.rateLimit(), k.owner());
        }));
        return stored[0];
    }

    @Override
    public boolean deleteFinished(OrganizationId organizationId, ApiKeyId id, Instant now) {
        return store.writeAndAnswer(() -> {
            ApiKey key = store.apiKeys().get(id);
            if (key == null || !key.organizationId().equals(organizationId) || !key.isFinishedAt(now)) return false;
            store.apiKeys().remove(id);
            store.apiKeyRequests().remove(id);
            return true;
        });
    }

    @Override
    public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
        store.write(() -> lastUsed.forEach((id, at) -> store.apiKeys().computeIfPresent(id, (i, k) -> {
            if (k.lastUsedAt().isPresent() && !k.lastUsedAt().get().isBefore(at)) return k;
            return k.usedAt(at);
        })));
    }
}
