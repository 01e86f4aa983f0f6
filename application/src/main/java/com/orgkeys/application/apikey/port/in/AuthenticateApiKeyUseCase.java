package com.orgkeys.application.apikey.port.in;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Turns a Bearer secret into a caller: the key's organization with its scopes, if the key is active. */
public interface AuthenticateApiKeyUseCase {
    Optional<ApiKeyCaller> authenticate(String secret, String clientAddress);

    /**
     * An active key as verification knows it (from its cache): what a backend asking "is this key good?" needs.
     * {@code owner}: the user a user's key acts as (empty for an organization's key); {@code scopes} are what the key
     * may do now (for a user's key, no more than its user holds).
     */
    record VerifiedApiKey(ApiKeyId id, OrganizationId organization, Optional<UserId> owner, Set<Permission> scopes,
                          Optional<Instant> expiresAt) {
    }

    /**
     * The key, if {@code secret} is an active one: the same verification (cache, revocation feed, outcomes, last use)
     * as {@link #authenticate}, for the backend API's {@code POST /v1/api_keys/verify}.
     */
    Optional<VerifiedApiKey> verify(String secret);

    /**
     * An authenticated key was refused an operation for lack of scope (the use case said 403): counted with the
     * verification outcomes, since it is where a key's scopes are put to the test.
     */
    void refusedForScope(ApiKeyCaller caller);
}
