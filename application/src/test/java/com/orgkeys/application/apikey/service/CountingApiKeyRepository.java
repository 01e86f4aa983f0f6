package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.shared.UnavailableException;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes everything to a real fake, counting the calls that tests care about; can make writes of usage fail. */
final class CountingApiKeyRepository implements ApiKeyRepository {
    private final ApiKeyRepository delegate;
    final AtomicInteger findByHashCalls = new AtomicInteger();
    final AtomicInteger findByHashesCalls = new AtomicInteger();
    final AtomicInteger recordLastUsedCalls = new AtomicInteger();
    volatile boolean failRecordLastUsed;
    /** Runs inside recordLastUsed before it writes (a test records more while a flush is under way). */
    volatile Runnable duringRecordLastUsed = () -> {
    };

    CountingApiKeyRepository(ApiKeyRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public void insert(ApiKey key) {
        delegate.insert(key);
    }

    @Override
    public boolean insertOnce(ApiKey key, String requestHash) {
        return delegate.insertOnce(key, requestHash);
    }

    @Override
    public Optional<ApiKey> find(OrganizationId organizationId, ApiKeyId id) {
        return delegate.find(organizationId, id);
    }

    @Override
    public Optional<OrganizationId> organizationOf(ApiKeyId id) {
        return delegate.organizationOf(id);
    }

    @Override
    public Optional<RateLimit> defaultRateLimit(OrganizationId organizationId) {
        return delegate.defaultRateLimit(organizationId);
    }

    @Override
    public List<String> setDefaultRateLimit(OrganizationId organizationId,
                                                      Optional<RateLimit> rateLimit) {
        return delegate.setDefaultRateLimit(organizationId, rateLimit);
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        findByHashCalls.incrementAndGet();
        return delegate.findByHash(secretHash);
    }

    @Override
    public Map<String, ApiKey> findByHashes(Collection<String> secretHashes) {
        findByHashesCalls.incrementAndGet();
        return delegate.findByHashes(secretHashes);
    }

    @Override
    public Page<ApiKey> page(OrganizationId organizationId, Filter filter, PageRequest page) {
        return delegate.page(organizationId, filter, page);
    }

    @Override
    public boolean markRevoked(ApiKey key) {
        return delegate.markRevoked(key);
    }

    @Override
    public boolean update(ApiKey key) {
        return delegate.update(key);
    }

    @Override
    public boolean describe(ApiKey key) {
        return delegate.describe(key);
    }

    @Override
    public boolean rotate(ApiKey rotated, String replacedSecretHash, Collection<String> forget) {
        return delegate.rotate(rotated, replacedSecretHash, forget);
    }

    @Override
    public boolean deleteFinished(OrganizationId organizationId, ApiKeyId id, Instant now) {
        return delegate.deleteFinished(organizationId, id, now);
    }

    @Override
    public List<ApiKey> revokeOwnedBy(UserId owner, Optional<OrganizationId> organization,
                                                String reason, Instant now) {
        return delegate.revokeOwnedBy(owner, organization, reason, now);
    }

    @Override
    public List<String> forgetOwnedBy(OrganizationId organization, UserId owner) {
        return delegate.forgetOwnedBy(organization, owner);
    }

    @Override
    public List<String> forgetOwnedIn(OrganizationId organization) {
        return delegate.forgetOwnedIn(organization);
    }

    @Override
    public int countWorkingOwnedBy(OrganizationId organization, UserId owner, Instant now) {
        return delegate.countWorkingOwnedBy(organization, owner, now);
    }

    @Override
    public List<String> forgetAllOwnedBy(UserId owner) {
        return delegate.forgetAllOwnedBy(owner);
    }

    @Override
    public List<String> forgetOwnedByHoldersOf(OrganizationId organization, RoleKey role) {
        return delegate.forgetOwnedByHoldersOf(organization, role);
    }

    @Override
    public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
        recordLastUsedCalls.incrementAndGet();
        duringRecordLastUsed.run();
        if (failRecordLastUsed) throw new UnavailableException("the database is not reachable", null);
        delegate.recordLastUsed(lastUsed);
    }
}
