package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.service.VerifiedEmails;
import com.orgkeys.application.apikey.port.in.AuthenticateApiKeyUseCase;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver;
import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver.Outcome;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.shared.BatchLoader;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeySubject;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeySecret;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.KeyUseOutcome;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.membership.Grantor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.apikey.IpAllowlist;
import com.orgkeys.application.apikey.port.out.RateLimitCounts;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.Text;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.stream.Collectors;

public final class ApiKeyService implements ManageApiKeysUseCase, AuthenticateApiKeyUseCase, RevocationListener {

    private final ApiKeyRepository keys;
    private final ApiKeyUsage usage;
    private final Grants grants;
    private final VerifiedEmails verifiedEmails;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final RecentKeyLookups lookups;
    private final ApiKeyVerificationObserver observer;
    private final RateLimiter limiter;
    /**
     * Lookups the cache does not answer, of one key or of many different keys, that arrive while others run share
     * one query (at most {@link #LOOKUP_BATCH} keys); one that finds no query running goes at once.
     */
    private final BatchLoader<String, ApiKey> keyReads;
    private final WebhookEvents webhooks;
    static final int LOOKUP_BATCH = 256;
    /**
     * A member's keys in one organization that work or could again (disabled): every member may make keys for
     * themselves, and each is a row, an audit event and a webhook message; an organization's keys have no such cap.
     */
    public static final int MAX_KEYS_PER_MEMBER = 100;
    /** Lookup queries running at once: one per core of a small machine, the rest wait together in the next batch. */
    static final int LOOKUP_QUERIES = 2;

    /** Without a lookup cache: every verification asks the repository. */
    public ApiKeyService(ApiKeyRepository keys, ApiKeyUsage usage, Grants grants, VerifiedEmails verifiedEmails,
                         Audit audit, TransactionRunner tx, Clock clock) {
        this(keys, usage, grants, verifiedEmails, audit, tx, clock, 0);
    }

    /**
     * @param lookupCacheKeys how many keys verification may remember (80 bytes each, outside the heap, taken
     *                        at once), while the revocation feed ({@link #feedRestored()}) is connected; until then
     *                        nothing is remembered. 0: every verification asks the repository.
     */
    public ApiKeyService(ApiKeyRepository keys, ApiKeyUsage usage, Grants grants, VerifiedEmails verifiedEmails,
                         Audit audit, TransactionRunner tx, Clock clock, int lookupCacheKeys) {
        this(keys, usage, grants, verifiedEmails, audit, tx, clock, lookupCacheKeys, ApiKeyVerificationObserver.NONE);
    }

    /** @param observer told every verification's outcome, cache hits and misses, and the feed's state */
    public ApiKeyService(ApiKeyRepository keys, ApiKeyUsage usage, Grants grants, VerifiedEmails verifiedEmails,
                         Audit audit, TransactionRunner tx, Clock clock, int lookupCacheKeys, ApiKeyVerificationObserver observer) {
        this(keys, usage, grants, verifiedEmails, audit, tx, clock, lookupCacheKeys, observer, new LocalRateLimitCounts());
    }

    /** @param rateLimitCounts where the processes that share the database add up their keys' uses (rate limits) */
    public ApiKeyService(ApiKeyRepository keys, ApiKeyUsage usage, Grants grants, VerifiedEmails verifiedEmails,
                         Audit audit, TransactionRunner tx, Clock clock, int lookupCacheKeys, ApiKeyVerificationObserver observer,
                         RateLimitCounts rateLimitCounts) {
        this(keys, usage, grants, verifiedEmails, audit, tx, clock, lookupCacheKeys, observer, rateLimitCounts,
                WebhookEvents.NONE);
    }

    /** @param webhooks told of every key created, changed or revoked, in the change's transaction */
    public ApiKeyService(ApiKeyRepository keys, ApiKeyUsage usage, Grants grants, VerifiedEmails verifiedEmails,
                         Audit audit, TransactionRunner tx, Clock clock, int lookupCacheKeys, ApiKeyVerificationObserver observer,
                         WebhookEvents webhooks) {
        this(keys, usage, grants, verifiedEmails, audit, tx, clock, lookupCacheKeys, observer, new LocalRateLimitCounts(),
                webhooks);
    }

    public ApiKeyService(ApiKeyRepository keys, ApiKeyUsage usage, Grants grants, VerifiedEmails verifiedEmails,
                         Audit audit, TransactionRunner tx, Clock clock, int lookupCacheKeys, ApiKeyVerificationObserver observer,
                         RateLimitCounts rateLimitCounts, WebhookEvents webhooks) {
        this.limiter = new RateLimiter(rateLimitCounts);
        this.webhooks = java.util.Objects.requireNonNull(webhooks, "webhooks");
        this.observer = observer;
        this.keys = keys;
        this.usage = usage;
        this.grants = grants;
        this.verifiedEmails = verifiedEmails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.lookups = new RecentKeyLookups(lookupCacheKeys, observer);
        this.keyReads = new BatchLoader<>(tx, LOOKUP_BATCH, LOOKUP_QUERIES, hashes -> hashes.size() == 1
                ? findByHash(hashes.iterator().next())
                : keys.findByHashes(hashes));
    }

    private Map<String, ApiKey> findByHash(String hash) {
        return keys.findByHash(hash).map(k -> Map.of(hash, k)).orElse(Map.of());
    }

    @Override
    public CreatedApiKey createApiKey(Caller caller, CreateApiKeyCommand command) {
        OrganizationId org = requireMayMakeKeys(caller, command.subject());
        verifiedEmails.require(caller); // before anything is read from the command: nothing to fix until verified
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        Set<Permission> scopes = scopes(caller, command.scopes(), errors);
        Optional<Instant> expiresAt = Optional.empty();
        if (command.lifetime().isPresent()) {
            Duration lifetime = command.lifetime().get();
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(ApiKey.MAX_LIFETIME) > 0) {
                // the bounds in seconds
                errors.add(new FieldError("lifetime", "must be 1–" + ApiKey.MAX_LIFETIME.toSeconds() + " (10 years)"));
            } else {
                expiresAt = Optional.of(now.plus(lifetime));
            }
        }
        Optional<String> requestHash = command.requestId().filter(id -> {
            if (id.isEmpty() || id.length() > CreateApiKeyCommand.MAX_REQUEST_ID_LENGTH) {
                errors.add(new FieldError("requestId", "must be 1–" + CreateApiKeyCommand.MAX_REQUEST_ID_LENGTH
                        + " characters"));
                return false;
            }
            return true;
        }).map(id -> Secrets.sha256(caller.actor().value() + "\n" + id)); // one caller's ids cannot block another's
        Optional<UserId> owner = owner(caller, command.subject(), errors);
        ApiKeySecret secret = ApiKeySecret.generate();
        ApiKey key;
        try {
            key = new ApiKey(ApiKeyId.random(), org, command.name(), command.description(), scopes, secret.hash(),
                    secret.hint(), caller.actor(), now, expiresAt, Optional.empty(), Optional.empty(), Optional.empty());
            if (owner.isPresent()) key = key.ownedBy(owner.get());
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            key = null;
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        ApiKey created = key;
        tx.inTransaction(() -> {
            // against what the creator holds now (a demotion since authentication counts); the default scopes,
            // taken from what they held then, are refused too if they lost one of them meanwhile
            Grantor grantor = grants.lockAndRead(caller, org);
            if (!mayManageNow(caller, grantor, created.owner())) throw missing(Permission.API_KEYS_MANAGE);
            grantor.requireCanGrant(created.scopes());
            // with the organization locked: a member removed or deleted meanwhile is seen, one removed later has
            // this key revoked with their others
            if (created.owner().isPresent() && grants.read(org, created.owner().get()).role().isEmpty()) {
                throw new InvalidInputException("subject", "user " + created.owner().get()
                        + " is not a member of this organization");
            }
            if (requestHash.isEmpty()) {
                keys.insert(created);
            } else if (!keys.insertOnce(created, requestHash.get())) {
                throw new ConflictException("A key was made by this request already, and its secret is shown only "
                        + "once. Find the key in the list, or revoke it and create a new one.");
            }
            // counted with the new key, under the organization's lock (parallel requests cannot each see room for
            // one more), after the request's own repeat was told apart; one too many rolls the insert back
            if (created.owner().isPresent()
                    && keys.countWorkingOwnedBy(org, created.owner().get(), now) > MAX_KEYS_PER_MEMBER) {
                throw new ConflictException("A member may have at most " + MAX_KEYS_PER_MEMBER + " working keys in an "
                        + "organization, and user " + created.owner().get() + " has as many here: revoke one first.");
            }
            audit.record(caller, org, "api_key.created", created.id().toString(), "name=" + created.name()
                    + " scopes=" + created.scopes().stream().map(Permission::value).collect(Collectors.joining(","))
                    + created.owner().map(u -> " subject=user:" + u).orElse(""));
            webhooks.record(Optional.of(org), "apiKey.created", WebhookData.apiKey(created, created.statusAt(now)));
        });
        return new CreatedApiKey(created, created.statusAt(now), secret.reveal());
    }

    /**
     * Whom a new key acts as: empty for the organization. A signed-in user makes keys for themselves only (a key
     * acting as someone else would be their power in another's hands); a backend secret key, the instance's
     * operator, for any member (checked in the transaction).
     */
    private static Optional<UserId> owner(Caller caller, Optional<String> subject, List<FieldError> errors) {
        if (subject.isEmpty() || subject.get().equals("organization")) return Optional.empty();
        if (subject.get().equals("user")) {
            if (caller instanceof UserCaller user) return Optional.of(user.userId());
            errors.add(new FieldError("subject", "'user' names the signed-in user: name a member as user:<id>"));
            return Optional.empty();
        }
        Optional<UserId> named;
        try {
            named = ApiKeySubject.parse("subject", subject.get()).user();
        } catch (InvalidInputException e) {
            errors.add(new FieldError("subject", "must be organization, user or user:<user id>"));
            return Optional.empty();
        }
        if (caller instanceof UserCaller user && !named.equals(Optional.of(user.userId()))) {
            errors.add(new FieldError("subject", "you can make keys for yourself only (user or user:" + user.userId() + ")"));
            return Optional.empty();
        }
        if (caller instanceof ApiKeyCaller) {
            errors.add(new FieldError("subject", "an API key cannot make keys for a user"));
            return Optional.empty();
        }
        return named;
    }

    /**
     * Scopes are feature permissions only (a key never manages keys, members or the organization). Default: all
     * such permissions the creator holds. That the creator holds every scope is checked in the transaction.
     */
    private static Set<Permission> scopes(Caller caller, Optional<List<String>> requested, List<FieldError> errors) {
        if (requested.isEmpty()) {
            Set<Permission> defaults = new LinkedHashSet<>(Permission.FEATURES);
            defaults.retainAll(caller.permissions());
            return defaults;
        }
        Set<Permission> result = new LinkedHashSet<>();
        if (requested.get().size() > Permission.ALL.size()) { // before looking at any: a client may send thousands
            errors.add(new FieldError("scopes", "must list at most " + Permission.ALL.size() + " scopes"));
            return result;
        }
        for (String value : requested.get()) {
            Permission permission;
            try {
                permission = new Permission(value);
            } catch (InvalidInputException e) {
                errors.add(new FieldError("scopes", "unknown scope '" + value + "'"));
                continue;
            }
            if (permission.isSystem()) {
                errors.add(new FieldError("scopes", "'" + value + "' cannot be given to an API key: keys carry "
                        + "feature permissions only (" + String.join(", ", Permission.FEATURES.stream().map(Permission::value).toList()) + ")"));
            }
            result.add(permission);
        }
        return result;
    }

    @Override
    public Page<ApiKeyWithStatus> listApiKeys(Caller caller, ListApiKeysQuery query) {
        OrganizationId org = caller.requireOrganization();
        // a search is text like any other field: at most 100 characters, no control characters (NUL included)
        String text = query.text() == null || query.text().isBlank() ? null : Text.singleLine("text", query.text(), 100);
        ApiKeySubject subject = query.subject().map(t -> t.equals("user") && caller instanceof UserCaller user
                ? ApiKeySubject.of(user.userId()) : ApiKeySubject.parse("subject", t)).orElse(null);
        if (!caller.has(Permission.API_KEYS_READ)) {
            // without the permission to read the organization's keys, a member lists their own (personal keys)
            if (!(caller instanceof UserCaller user)) throw missing(Permission.API_KEYS_READ);
            ApiKeySubject own = ApiKeySubject.of(user.userId());
            if (subject != null && !subject.equals(own)) {
                throw new ForbiddenException("Missing permission " + Permission.API_KEYS_READ.value()
                        + ": without it you can list your own keys only (subject=user or " + own + ").");
            }
            subject = own;
        }
        Instant now = clock.instant();
        return keys.page(org, new ApiKeyRepository.Filter(text, query.status().orElse(null), now, subject), query.page())
                .map(k -> new ApiKeyWithStatus(k, k.statusAt(now)));
    }

    @Override
    public ApiKeyWithStatus getApiKey(Caller anyCaller, ApiKeyId id) {
        Caller caller = inKeysOrganization(anyCaller, id);
        OrganizationId org = caller.requireOrganization();
        // a key the caller may not see is not there, as a key of another organization is: 404, not 403
        ApiKey key = keys.find(org, id).filter(k -> caller.has(Permission.API_KEYS_READ) || ownedBy(caller, k.owner()))
                .orElseThrow(() -> new NotFoundException("No API key " + id + "."));
        return new ApiKeyWithStatus(key, key.statusAt(clock.instant()));
    }

    @Override
    public ApiKeyWithStatus revokeApiKey(Caller anyCaller, ApiKeyId id, Optional<String> reason) {
        Caller caller = inKeysOrganization(anyCaller, id);
        OrganizationId org = requireMayManageSome(caller);
        Instant now = clock.instant();
        ApiKeyWithStatus result = tx.inTransaction(() -> {
            ApiKey key = lockForChange(caller, org, id).key();
            ApiKey revoked = key.revoke(reason, now);
            if (revoked == key || !keys.markRevoked(revoked)) {
                // already revoked, possibly by a concurrent request just now: its time and reason stand
                ApiKey current = keys.find(org, id).orElseThrow(() -> new NotFoundException("No API key " + id + "."));
                return new ApiKeyWithStatus(current, current.statusAt(now));
            }
            audit.record(caller, org, "api_key.revoked", id.toString(),
                    "name=" + key.name() + revoked.revocationReason().map(r -> " reason=" + r).orElse(""));
            webhooks.record(Optional.of(org), "apiKey.revoked", WebhookData.apiKey(revoked, revoked.statusAt(now)));
            return new ApiKeyWithStatus(revoked, revoked.statusAt(now));
        });
        // after the commit, so that no lookup can cache the key as it was before: this process stops at once
        result.key().secretHashes().forEach(lookups::evict);
        return result;
    }

    @Override
    public ApiKeyWithStatus editApiKey(Caller anyCaller, ApiKeyId id, EditApiKeyCommand command) {
        Caller caller = inKeysOrganization(anyCaller, id);
        OrganizationId org = requireMayManageSome(caller);
        verifiedEmails.require(caller); // as creating: giving a key scopes is granting
        List<FieldError> errors = new ArrayList<>();
        String name = command.name().map(n -> text(errors, () -> Text.singleLine("name", n, 100))).orElse(null);
        String description = command.description()
                .map(d -> text(errors, () -> Text.multiLine("description", d, 1000))).orElse(null);
        Set<Permission> scopes = command.scopes().isPresent() ? scopes(caller, command.scopes(), errors) : null;
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Instant now = clock.instant();
        ApiKeyWithStatus result = tx.inTransaction(() -> {
            // the organization's lock orders this after (or before) any revocation, disabling or other edit of the
            // key, and any demotion of the editor: nothing read here is outdated when it is written
            Changing changing = lockForChange(caller, org, id);
            Grantor grantor = changing.grantor();
            ApiKey key = changing.key();
            requireSubject(key, command.subject());
            ApiKey edited = key.edit(name, description, scopes, now);
            if (edited == key) return new ApiKeyWithStatus(key, key.statusAt(now));
            // only what is added is given: taking scopes away is a partial revocation, which needs no more
            Set<Permission> added = new LinkedHashSet<>(edited.scopes());
            added.removeAll(key.scopes());
            grantor.requireCanGrant(added);
            // a new name or description is nothing verification returns: no process needs to forget the key
            boolean stored = edited.scopes().equals(key.scopes()) ? keys.describe(edited) : keys.update(edited);
            if (!stored) throw changedMeanwhile(id);
            audit.record(caller, org, "api_key.updated", id.toString(), changes(key, edited));
            webhooks.record(Optional.of(org), "apiKey.updated", WebhookData.apiKey(edited, edited.statusAt(now)));
            return new ApiKeyWithStatus(edited, edited.statusAt(now));
        });
        // after the commit, so that no lookup can cache the key as it was before (other processes: the feed, when
        // its scopes changed; a renamed key is read again here only)
        result.key().secretHashes().forEach(lookups::evict);
        return result;
    }

    @Override
    public ApiKeyWithStatus setAllowlist(Caller anyCaller, ApiKeyId id, List<String> allowlist) {
        Caller caller = inKeysOrganization(anyCaller, id);
        requireMayManageSome(caller);
        if (allowlist == null) throw new InvalidInputException("allowlist", "is required (an empty list: anywhere)");
        IpAllowlist parsed = IpAllowlist.parse(allowlist);
        return changeTraffic(caller, id, parsed, null);
    }

    @Override
    public ApiKeyWithStatus setRateLimit(Caller anyCaller, ApiKeyId id, Optional<RateLimitCommand> rateLimit) {
        Caller caller = inKeysOrganization(anyCaller, id);
        requireMayManageSome(caller);
        return changeTraffic(caller, id, null, rateLimit.map(r -> r.toRateLimit("")));
    }

    /** Traffic controls only restrict a key: changing them needs what revoking it does, nothing held by the editor. */
    private ApiKeyWithStatus changeTraffic(Caller caller, ApiKeyId id, IpAllowlist allowlist, Optional<RateLimit> rateLimit) {
        OrganizationId org = requireMayManageSome(caller);
        Instant now = clock.instant();
        ApiKeyWithStatus result = tx.inTransaction(() -> {
            Changing changing = lockForChange(caller, org, id);
            ApiKey key = changing.key();
            ApiKey changed = key.withTraffic(allowlist, rateLimit, now);
            if (changed == key) return new ApiKeyWithStatus(key, key.statusAt(now));
            if (!changing.grantor().holds(Permission.API_KEYS_MANAGE)) {
                requireOnlyNarrowed(key, changed, keys.defaultRateLimit(org));
            }
            if (!keys.update(changed)) throw changedMeanwhile(id);
            audit.record(caller, org, "api_key.updated", id.toString(), changes(key, changed));
            return new ApiKeyWithStatus(changed, changed.statusAt(now));
        });
        result.key().secretHashes().forEach(lookups::evict);
        return result;
    }

    /**
     * A member changing their own key without the key permissions may only narrow it: an allowlist or a rate limit
     * set by an admin (or the organization's default) is not theirs to lift.
     */
    private static void requireOnlyNarrowed(ApiKey key, ApiKey changed, Optional<RateLimit> organizationDefault) {
        if (!changed.allowlist().within(key.allowlist())) {
            throw new ForbiddenException("Widening an API key's IP allowlist needs " + Permission.API_KEYS_MANAGE.value()
                    + "; on your own key you may only narrow it.");
        }
        Optional<RateLimit> before = key.rateLimit().or(() -> organizationDefault);
        Optional<RateLimit> after = changed.rateLimit().or(() -> organizationDefault);
        if (before.isPresent() && (after.isEmpty() || !after.get().noLooserThan(before.get()))) {
            throw new ForbiddenException("Loosening an API key's rate limit (now " + before.get() + ") needs "
                    + Permission.API_KEYS_MANAGE.value() + "; on your own key you may only tighten it.");
        }
    }

    @Override
    public ApiKeyDefaults getApiKeyDefaults(Caller caller) {
        // every member: the default rate limit holds their personal keys too
        OrganizationId org = caller instanceof UserCaller ? caller.requireOrganization() : caller.require(Permission.API_KEYS_READ);
        return new ApiKeyDefaults(keys.defaultRateLimit(org));
    }

    @Override
    public ApiKeyDefaults setApiKeyDefaults(Caller caller, Optional<RateLimitCommand> rateLimit) {
        OrganizationId org = caller.require(Permission.API_KEYS_MANAGE);
        Optional<RateLimit> limit = rateLimit.map(r -> r.toRateLimit("rateLimit."));
        List<String> forget = tx.inTransaction(() -> {
            grants.lockAndRequire(caller, org, Permission.API_KEYS_MANAGE);
            Optional<RateLimit> before = keys.defaultRateLimit(org);
            if (before.equals(limit)) return List.<String>of();
            List<String> hashes = keys.setDefaultRateLimit(org, limit);
            audit.record(caller, org, "organization.api_key_defaults_updated", org.toString(),
                    "rateLimit=" + before.map(RateLimit::toString).orElse("(none)") + " → "
                            + limit.map(RateLimit::toString).orElse("(none)"));
            return hashes;
        });
        forget.forEach(lookups::evict); // after the commit, as for one key; other processes: the feed
        return new ApiKeyDefaults(limit);
    }

    @Override
    public ApiKeyWithStatus disableApiKey(Caller anyCaller, ApiKeyId id) {
        return changeState(anyCaller, id, true);
    }

    @Override
    public ApiKeyWithStatus enableApiKey(Caller anyCaller, ApiKeyId id) {
        return changeState(anyCaller, id, false);
    }

    private ApiKeyWithStatus changeState(Caller anyCaller, ApiKeyId id, boolean disable) {
        Caller caller = inKeysOrganization(anyCaller, id);
        OrganizationId org = requireMayManageSome(caller);
        Instant now = clock.instant();
        ApiKeyWithStatus result = tx.inTransaction(() -> {
            Changing changing = lockForChange(caller, org, id);
            Grantor grantor = changing.grantor();
            ApiKey key = changing.key();
            ApiKey changed = disable ? key.disable(now) : key.enable(now);
            if (changed == key) return new ApiKeyWithStatus(key, key.statusAt(now)); // already so: nothing to do
            // enabling hands the key's scopes back to whoever holds its secret: as giving them anew; and a member may
            // stop their own key but not lift a stop, which may be an admin's
            if (!disable && !grantor.holds(Permission.API_KEYS_MANAGE)) {
                throw new ForbiddenException("Enabling a disabled API key needs " + Permission.API_KEYS_MANAGE.value()
                        + ": you may disable your own key, not lift a stop.");
            }
            if (!disable) grantor.requireCanGrant(key.scopes());
            if (!keys.update(changed)) throw changedMeanwhile(id);
            audit.record(caller, org, disable ? "api_key.disabled" : "api_key.enabled", id.toString(), "name=" + key.name());
            webhooks.record(Optional.of(org), "apiKey.updated", WebhookData.apiKey(changed, changed.statusAt(now)));
            return new ApiKeyWithStatus(changed, changed.statusAt(now));
        });
        result.key().secretHashes().forEach(lookups::evict);
        return result;
    }

    @Override
    public CreatedApiKey rotateApiKey(Caller anyCaller, ApiKeyId id, RotateApiKeyCommand command) {
        Caller caller = inKeysOrganization(anyCaller, id);
        OrganizationId org = requireMayManageSome(caller);
        verifiedEmails.require(caller); // as creating: the new secret carries the key's scopes
        Duration grace = ApiKey.requireGracePeriod(command.gracePeriod().orElse(RotateApiKeyCommand.DEFAULT_GRACE_PERIOD));
        Instant now = clock.instant();
        ApiKeySecret secret = ApiKeySecret.generate();
        record Rotated(ApiKey before, ApiKey after) {
        }
        Rotated rotated = tx.inTransaction(() -> {
            // the organization's lock orders this after any other rotation, revocation or demotion of the caller
            Changing changing = lockForChange(caller, org, id);
            Grantor grantor = changing.grantor();
            ApiKey key = changing.key();
            if (command.ifUnchangedSince().filter(seen -> !seen.equals(key.updatedAt())).isPresent()) {
                throw new ConflictException("The API key " + id + " changed since you saw it (rotated already?), and a "
                        + "secret is shown only once. Look at the key again before rotating it.");
            }
            ApiKey after = key.rotate(secret.hash(), secret.hint(), grace, now);
            // the new secret hands the key's scopes to whoever reads it: only to one who could give them anew
            grantor.requireCanGrant(key.scopes());
            // its old secrets are forgotten everywhere: the one replaced is read again with its grace end, and one
            // kept by an earlier rotation stops at once (only one old secret at a time)
            if (!keys.rotate(after, key.secretHash(), key.secretHashes())) throw changedMeanwhile(id);
            audit.record(caller, org, "api_key.rotated", id.toString(), "name=" + key.name() + " gracePeriodSeconds="
                    + grace.toSeconds() + " previousSecretExpiresAt=" + after.rotation().orElseThrow().previousSecretExpiresAt());
            // a new secret is a change of the key; the event carries its shape, never the secret
            webhooks.record(Optional.of(org), "apiKey.updated", WebhookData.apiKey(after, after.statusAt(now)));
            return new Rotated(key, after);
        });
        // after the commit, so that no lookup here can remember a secret as it was before (other processes: the feed)
        rotated.before().secretHashes().forEach(lookups::evict);
        return new CreatedApiKey(rotated.after(), rotated.after().statusAt(now), secret.reveal());
    }

    @Override
    public void deleteApiKey(Caller anyCaller, ApiKeyId id) {
        Caller caller = inKeysOrganization(anyCaller, id);
        OrganizationId org = requireMayManageSome(caller);
        Instant now = clock.instant();
        ApiKey deleted = tx.inTransaction(() -> {
            ApiKey key = lockForChange(caller, org, id).key();
            if (!key.isFinishedAt(now)) {
                throw new ConflictException("The API key " + id + " is " + key.statusAt(now).value()
                        + ": only a revoked or expired key can be deleted. Revoke it first.");
            }
            if (!keys.deleteFinished(org, id, now)) throw new NotFoundException("No API key " + id + ".");
            audit.record(caller, org, "api_key.deleted", id.toString(), "name=" + key.name()
                    + " status=" + key.statusAt(now).value());
            return key;
        });
        deleted.secretHashes().forEach(lookups::evict);
    }

    /**
     * Who may make a key for {@code subject}: with the managing permission, any key; without it, a signed-in member
     * a personal key (acting as themselves, scopes within what they hold). Checked again in the transaction.
     */
    private static OrganizationId requireMayMakeKeys(Caller caller, Optional<String> subject) {
        if (caller.has(Permission.API_KEYS_MANAGE) || !(caller instanceof UserCaller)) {
            return caller.require(Permission.API_KEYS_MANAGE);
        }
        OrganizationId org = caller.requireOrganization();
        if (subject.isEmpty() || subject.get().equals("organization")) {
            throw new ForbiddenException("Missing permission " + Permission.API_KEYS_MANAGE.value()
                    + ": without it you can make keys for yourself only (subject user).");
        }
        return org;
    }

    /** Before a write names its key: a signed-in member may change their own keys; others need the permission. */
    private static OrganizationId requireMayManageSome(Caller caller) {
        return caller instanceof UserCaller ? caller.requireOrganization() : caller.require(Permission.API_KEYS_MANAGE);
    }

    /** Whether {@code owner} is the signed-in user asking. */
    private static boolean ownedBy(Caller caller, Optional<UserId> owner) {
        return caller instanceof UserCaller user && owner.equals(Optional.of(user.userId()));
    }

    /**
     * With the managing permission held now, any key of the organization; without it, one's own key while still a
     * member (one removed meanwhile had their keys revoked with the removal).
     */
    private static boolean mayManageNow(Caller caller, Grantor now, Optional<UserId> owner) {
        return now.holds(Permission.API_KEYS_MANAGE) || (ownedBy(caller, owner) && now.role().isPresent());
    }

    private static ForbiddenException missing(Permission permission) {
        return new ForbiddenException("Missing permission " + permission.value() + ".");
    }

    private record Changing(ApiKey key, Grantor grantor) {
    }

    /**
     * Inside a write's transaction: locks the organization (ordering the write after any demotion, revocation or
     * other change), reads the key and checks against what the caller holds now that they may change it. A key they
     * may not even see answers 404, as one of another organization does; one they see but may not change, 403.
     */
    private Changing lockForChange(Caller caller, OrganizationId org, ApiKeyId id) {
        Grantor now = grants.lockAndRead(caller, org);
        Optional<ApiKey> found = keys.find(org, id);
        if (found.isPresent() && mayManageNow(caller, now, found.get().owner())) return new Changing(found.get(), now);
        boolean mightSee = caller.has(Permission.API_KEYS_READ) || caller.has(Permission.API_KEYS_MANAGE);
        if (found.isEmpty() && now.holds(Permission.API_KEYS_MANAGE)) throw new NotFoundException("No API key " + id + ".");
        if (mightSee || found.filter(k -> ownedBy(caller, k.owner())).isPresent()) throw missing(Permission.API_KEYS_MANAGE);
        throw new NotFoundException("No API key " + id + ".");
    }

    private static ConflictException changedMeanwhile(ApiKeyId id) {
        return new ConflictException("The API key " + id + " was revoked meanwhile and cannot be changed.");
    }

    /** The audit detail of an edit: each changed setting, old → new (descriptions by length: up to 1,000 characters). */
    private static String changes(ApiKey before, ApiKey after) {
        List<String> parts = new ArrayList<>();
        if (!before.name().equals(after.name())) parts.add("name=" + before.name() + " → " + after.name());
        if (!before.description().equals(after.description())) {
            parts.add("description=" + abbreviated(before.description()) + " → " + abbreviated(after.description()));
        }
        if (!before.scopes().equals(after.scopes())) {
            parts.add("scopes=" + scopeList(before.scopes()) + " → " + scopeList(after.scopes()));
        }
        if (!before.allowlist().equals(after.allowlist())) {
            parts.add("allowlist=" + rangeList(before.allowlist()) + " → " + rangeList(after.allowlist()));
        }
        if (!before.rateLimit().equals(after.rateLimit())) {
            parts.add("rateLimit=" + before.rateLimit().map(RateLimit::toString).orElse("(default)") + " → "
                    + after.rateLimit().map(RateLimit::toString).orElse("(default)"));
        }
        return String.join(" ", parts);
    }

    private static String rangeList(IpAllowlist allowlist) {
        if (allowlist.isAnywhere()) return "(anywhere)";
        List<String> texts = allowlist.texts();
        return texts.size() <= 5 ? String.join(",", texts) : String.join(",", texts.subList(0, 5)) + ",… (" + texts.size() + " ranges)";
    }

    private static String abbreviated(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 60 ? "\"" + line + "\"" : "\"" + line.substring(0, 59) + "…\" (" + text.length() + " characters)";
    }

    private static String scopeList(Set<Permission> scopes) {
        return scopes.isEmpty() ? "(none)" : scopes.stream().map(Permission::value).collect(Collectors.joining(","));
    }

    /** A key never moves: the subject an edit names (Clerk's update sends one) must be the key's own. */
    private static void requireSubject(ApiKey key, Optional<UUID> subject) {
        String own = key.owner().map(user -> "user " + user).orElse("organization " + key.organizationId());
        UUID id = key.owner().map(UserId::value).orElseGet(() -> key.organizationId().value());
        if (subject.isPresent() && !subject.get().equals(id)) {
            throw new InvalidInputException("subject", "cannot be changed: the key belongs to " + own + " and stays there");
        }
    }

    /** Runs a validation, adding its problems to {@code errors} instead of throwing; null if it failed. */
    private static String text(List<FieldError> errors, java.util.function.Supplier<String> validation) {
        try {
            return validation.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /** A backend secret key that names a key by id only (as Clerk's API does) acts in that key's organization. */
    private Caller inKeysOrganization(Caller caller, ApiKeyId id) {
        if (caller instanceof SecretKeyCaller backend && backend.organizationId().isEmpty()) {
            return keys.organizationOf(id).map(backend::in)
                    .orElseThrow(() -> new NotFoundException("No API key " + id + "."));
        }
        return caller;
    }

    @Override
    public void keyRevoked(String secretHash) {
        lookups.evict(secretHash);
    }

    @Override
    public void keyRevoked(String secretHash, Instant sentAt) {
        lookups.evict(secretHash);
        Duration lag = Duration.between(sentAt, clock.instant());
        observer.revocationApplied(lag.isNegative() ? Duration.ZERO : lag); // clocks of two machines may disagree
    }

    @Override
    public void feedInterrupted() {
        lookups.distrust();
        observer.feedDisconnected();
    }

    @Override
    public void feedRestored() {
        lookups.trust();
        observer.feedConnected();
    }

    @Override
    public Optional<ApiKeyCaller> authenticate(String secret, String clientAddress) {
        return verify(secret, Optional.of(clientAddress))
                .map(key -> new ApiKeyCaller(key.id().value(), key.organization(), key.owner(), key.scopes(), clientAddress));
    }

    @Override
    public Optional<VerifiedApiKey> verify(String secret) {
        return verify(secret, Optional.empty());
    }

    /** @param clientAddress the client that used the key, when this request comes from it (not from a backend) */
    private Optional<VerifiedApiKey> verify(String secret, Optional<String> clientAddress) {
        Optional<ApiKeySecret> parsed = ApiKeySecret.parse(secret);
        if (parsed.isEmpty()) { // malformed or mistyped: no database round trip
            observer.verified(ApiKeySecret.hasShape(secret) ? Outcome.BAD_CHECKSUM : Outcome.MALFORMED);
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<RecentKeyLookups.VerifiedKey> found = lookups.get(parsed.get().hash(), now, keyReads::load);
        if (found.isEmpty()) {
            observer.verified(Outcome.UNKNOWN);
            return Optional.empty();
        }
        RecentKeyLookups.VerifiedKey key = found.get();
        switch (key.statusAt(now)) {
            case REVOKED -> observer.verified(Outcome.REVOKED);
            case EXPIRED -> observer.verified(Outcome.EXPIRED);
            case DISABLED -> observer.verified(Outcome.DISABLED);
            case ACTIVE -> {
                admitTraffic(key, clientAddress, now);
                observer.verified(Outcome.VALID);
                ApiKeyId id = key.id();
                usage.record(id, KeyUseOutcome.SUCCESS, clientAddress.orElse(null), now);
                // once per RecentKeyLookups.USE_RECORDING_INTERVAL; a use not taken (too many waiting) is due again
                if (key.recordUse() && !usage.record(id, now)) lookups.useNotRecorded(parsed.get().hash());
                return Optional.of(new VerifiedApiKey(id, key.organizationId(), Optional.ofNullable(key.owner()), key.scopes(),
                        Optional.ofNullable(key.expiresAt())));
            }
        }
        return Optional.empty();
    }

    /**
     * The one place where traffic controls refuse an active key: its allowlist (when the client's address is known:
     * a request made with the key itself, not a backend asking about it), then its rate limit (every use counts,
     * wherever the key is verified). A refusal is not counted against the limit; it is counted in the key's usage under its outcome.
     */
    private void admitTraffic(RecentKeyLookups.VerifiedKey key, Optional<String> clientAddress, Instant now) {
        RecentKeyLookups.Profile traffic = key.profile();
        if (clientAddress.isPresent() && !traffic.allowlist().isAnywhere()
                && !traffic.allowlist().permits(clientAddress.get())) {
            observer.verified(Outcome.ADDRESS_REFUSED);
            usage.record(key.id(), KeyUseOutcome.IP_REFUSED, null, now);
            throw new ForbiddenException("This API key may not be used from " + clientAddress.get()
                    + ": the address is not on the key's IP allowlist.");
        }
        if (traffic.rateLimit().isPresent()) {
            RateLimit limit = traffic.rateLimit().get();
            RateLimiter.Decision decision = limiter.take(key.id(), limit, now);
            if (!decision.admitted()) {
                observer.verified(Outcome.RATE_LIMITED);
                usage.record(key.id(), KeyUseOutcome.RATE_LIMITED, null, now);
                throw new RateLimitedException("This API key is over its rate limit of " + limit.requests()
                        + " requests per " + limit.windowSeconds() + " seconds; try again in "
                        + decision.resetSeconds() + " seconds.", Duration.ofSeconds(decision.resetSeconds()),
                        new RateLimitedException.Quota(limit.requests(), limit.windowSeconds(), 0));
            }
        }
    }

    @Override
    public void refusedForScope(ApiKeyCaller caller) {
        observer.verified(Outcome.INSUFFICIENT_SCOPE);
        usage.refusedAfterSuccess(new ApiKeyId(caller.keyId()), KeyUseOutcome.SCOPE_REFUSED, clock.instant());
    }
}
