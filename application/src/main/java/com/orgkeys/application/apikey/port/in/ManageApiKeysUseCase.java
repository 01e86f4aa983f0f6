package com.orgkeys.application.apikey.port.in;

import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import java.util.ArrayList;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization's API keys: create (secret shown once), list and search, read, edit, disable and enable,
 * revoke, delete (once revoked or expired).
 */
public interface ManageApiKeysUseCase {
    /**
     * @param lifetime  how long the key works, from now; empty for a key that does not expire
     * @param requestId an idempotency key chosen by the client (the dashboard's form nonce): a second request
     *                  with the same one by the same caller makes no second key, on any node, and is refused
     *                  with a conflict (the secret exists only in the first answer)
     * @param subject   whom the key acts as: {@code organization} (empty: the default), {@code user} (the signed-in
     *                  caller themselves) or {@code user:<id>} (a member; a signed-in user may name only themselves)
     */
    record CreateApiKeyCommand(String name, String description, Optional<List<String>> scopes,
                               Optional<Duration> lifetime, Optional<String> requestId, Optional<String> subject) {
        /** At most this many characters; stored only as a hash. */
        public static final int MAX_REQUEST_ID_LENGTH = 255;

        public CreateApiKeyCommand(String name, String description, Optional<List<String>> scopes,
                                   Optional<Duration> lifetime, Optional<String> requestId) {
            this(name, description, scopes, lifetime, requestId, Optional.empty());
        }

        public CreateApiKeyCommand(String name, String description, Optional<List<String>> scopes,
                                   Optional<Duration> lifetime) {
            this(name, description, scopes, lifetime, Optional.empty());
        }
    }

    /**
     * New settings for a key; an empty one stays as it is. {@code scopes} replace the key's: any scope added must be
     * held by the editor (as at creation); taking scopes away needs nothing more than revoking does.
     * {@code subject}: the id the caller says the key belongs to (Clerk's {@code subject}: its organization's, or for a
     * user's key its user's); a key never moves, so another is refused as an invalid field (once the others are valid).
     */
    record EditApiKeyCommand(Optional<String> name, Optional<String> description, Optional<List<String>> scopes,
                             Optional<UUID> subject) {
        public EditApiKeyCommand(Optional<String> name, Optional<String> description, Optional<List<String>> scopes) {
            this(name, description, scopes, Optional.empty());
        }
    }

    /**
     * @param gracePeriod      how long the current secret keeps working (0–7 days); empty: {@link #DEFAULT_GRACE_PERIOD}
     * @param ifUnchangedSince the key's updatedAt as the caller saw it: a key changed since (rotated already, by this
     *                         very form sent again) is a conflict, so a reloaded page never rotates twice
     */
    record RotateApiKeyCommand(Optional<Duration> gracePeriod, Optional<java.time.Instant> ifUnchangedSince) {
        public RotateApiKeyCommand(Optional<Duration> gracePeriod) {
            this(gracePeriod, Optional.empty());
        }

        /**
         * None: a rotation asked without one is most often a leaked secret's, which must stop now; a planned
         * rotation names the time its clients need to switch.
         */
        public static final Duration DEFAULT_GRACE_PERIOD = Duration.ZERO;
    }

    /**
     * {@code text}: a search, or null; {@code status}: empty for keys of every status; {@code subject}:
     * {@code organization} or {@code user:<id>} (see {@link com.orgkeys.domain.apikey.ApiKeySubject#parse}), empty
     * for keys of every subject.
     */
    record ListApiKeysQuery(String text, Optional<ApiKeyStatus> status, PageRequest page, Optional<String> subject) {
        public ListApiKeysQuery(String text, Optional<ApiKeyStatus> status, PageRequest page) {
            this(text, status, page, Optional.empty());
        }
    }

    /** A key with its status now. */
    record ApiKeyWithStatus(ApiKey key, ApiKeyStatus status) {
    }

    /** The new key, its status and its secret: the only time the secret exists outside the caller's hands. */
    record CreatedApiKey(ApiKey key, ApiKeyStatus status, String secret) {
        @Override
        public String toString() {
            return "CreatedApiKey[" + key.id() + "]";
        }
    }

    /** A rate limit as asked for: {@code requests} per {@code windowSeconds}, both required (checked by the use case). */
    record RateLimitCommand(Integer requests, Integer windowSeconds) {
        /** The rate limit, or the problems of its fields (named under {@code prefix}). */
        public RateLimit toRateLimit(String prefix) {
            List<FieldError> errors = new ArrayList<>();
            if (requests == null) errors.add(new FieldError(prefix + "requests", "is required"));
            if (windowSeconds == null) errors.add(new FieldError(prefix + "windowSeconds", "is required"));
            if (!errors.isEmpty()) throw new InvalidInputException(errors);
            try {
                return new RateLimit(requests, windowSeconds);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(e.errors().stream()
                        .map(f -> new FieldError(prefix + f.field(), f.message())).toList());
            }
        }
    }

    /** The organization's defaults for its keys: the rate limit of every key that has none of its own (empty: none). */
    record ApiKeyDefaults(Optional<RateLimit> rateLimit) {
    }

    CreatedApiKey createApiKey(Caller caller, CreateApiKeyCommand command);

    /**
     * Replaces the key's IP allowlist (IPv4/IPv6 addresses or CIDR ranges, at most 100; empty: usable from anywhere).
     * Every process refuses other addresses from the next request on.
     */
    ApiKeyWithStatus setAllowlist(Caller caller, ApiKeyId id, List<String> allowlist);

    /** Sets the key's own rate limit; empty removes it (the organization's default applies, if any). */
    ApiKeyWithStatus setRateLimit(Caller caller, ApiKeyId id, Optional<RateLimitCommand> rateLimit);

    ApiKeyDefaults getApiKeyDefaults(Caller caller);

    /** Sets (or, empty, removes) the rate limit of the organization's keys that have none of their own. */
    ApiKeyDefaults setApiKeyDefaults(Caller caller, Optional<RateLimitCommand> rateLimit);

    Page<ApiKeyWithStatus> listApiKeys(Caller caller, ListApiKeysQuery query);

    ApiKeyWithStatus getApiKey(Caller caller, ApiKeyId id);

    ApiKeyWithStatus revokeApiKey(Caller caller, ApiKeyId id, Optional<String> reason);

    /** Changes name, description or scopes of an active or disabled key; the next request with it sees them. */
    ApiKeyWithStatus editApiKey(Caller caller, ApiKeyId id, EditApiKeyCommand command);

    /** Refuses the key from the next request on, until enabled; disabling a disabled key changes nothing. */
    ApiKeyWithStatus disableApiKey(Caller caller, ApiKeyId id);

    /**
     * Lets a disabled key work again. Gives its scopes back to whoever holds it, so the caller must hold them all,
     * as if creating it.
     */
    ApiKeyWithStatus enableApiKey(Caller caller, ApiKeyId id);

    /**
     * Gives an active key a new secret (returned this once); the key keeps its id, settings and history. The current
     * secret works for the grace period more, and a previous one kept by an earlier rotation stops at once. The
     * caller must hold the key's scopes, as if creating it; a revoked, expired or disabled key is a conflict.
     */
    CreatedApiKey rotateApiKey(Caller caller, ApiKeyId id, RotateApiKeyCommand command);

    /**
     * Removes a revoked or expired key from the lists (its audit events stay); a key that still works, or could
     * again (disabled), is refused with a conflict: revoke it first.
     */
    void deleteApiKey(Caller caller, ApiKeyId id);
}
