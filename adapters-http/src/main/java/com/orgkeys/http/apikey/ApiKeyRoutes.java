package com.orgkeys.http.apikey;

import com.orgkeys.domain.apikey.RateLimit;

import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ApiKeyWithStatus;
import com.orgkeys.application.apikey.port.in.ReadApiKeyUsageUseCase;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.FieldNames;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The active organization's API keys. Managed by signed-in users only: an API key cannot mint or revoke
 * keys, so a leaked key cannot make itself permanent.
 */
public final class ApiKeyRoutes {
    /** The API's names for the core's fields, where they differ. */
    static final FieldNames FIELDS = FieldNames.of("lifetime", "secondsUntilExpiration", "reason", "revocationReason",
            "text", "query", "gracePeriod", "gracePeriodSeconds");

    /** {@code subject}: {@code organization} (left out: the default) or {@code user} (a key acting as the caller). */
    record CreateRequest(String name, String description, List<String> scopes, Long secondsUntilExpiration,
                         String subject) {
    }

    /** Whom a key acts as: {@code type} organization (id: the organization's) or user (id: the user's). */
    record SubjectJson(String type, String id) {
        static SubjectJson of(ApiKey k) {
            return new SubjectJson(k.subject().type(), k.owner().map(Object::toString).orElse(k.organizationId().toString()));
        }
    }

    record RevokeRequest(String revocationReason) {
    }

    /** Left out: {@link ManageApiKeysUseCase.RotateApiKeyCommand#DEFAULT_GRACE_PERIOD}. */
    record RotateRequest(Long gracePeriodSeconds) {
    }

    /** A field left out (or null) stays as it is; {@code scopes} replace the key's. */
    record EditRequest(String name, String description, List<String> scopes) {
    }

    /** The whole allowlist: it replaces the key's; an empty list lets the key be used from anywhere. */
    record AllowlistRequest(List<String> allowlist) {
    }

    /** {@code requests} per {@code windowSeconds}; both are required. */
    record RateLimitJson(Integer requests, Integer windowSeconds) {
        static RateLimitJson of(RateLimit limit) {
            return new RateLimitJson(limit.requests(), limit.windowSeconds());
        }
    }

    /** {@code rateLimit}: the rate limit of every key without one of its own; null for none. */
    record ApiKeyDefaultsJson(RateLimitJson rateLimit) {
        static ApiKeyDefaultsJson of(ManageApiKeysUseCase.ApiKeyDefaults defaults) {
            return new ApiKeyDefaultsJson(defaults.rateLimit().map(RateLimitJson::of).orElse(null));
        }
    }

    /** Disabling and enabling take no fields: a body, if any, must be an empty object. */
    record EmptyRequest() {
    }

    record ApiKeyJson(String id, String name, String description, String organizationId, List<String> scopes,
                      String hint, String createdBy, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                      String status, Instant revokedAt, String revocationReason, Instant disabledAt,
                      Instant updatedAt, Instant rotatedAt, Instant previousSecretExpiresAt, List<String> allowlist,
                      RateLimitJson rateLimit, SubjectJson subject) {
        static ApiKeyJson of(ApiKeyWithStatus key) {
            return of(key.key(), key.status());
        }

        static ApiKeyJson of(ApiKey k, ApiKeyStatus status) {
            return new ApiKeyJson(k.id().toString(), k.name(), k.description(), k.organizationId().toString(),
                    JsonBodies.permissions(k.scopes()), k.hint(), JsonBodies.actorId(k.createdBy()), k.createdAt(),
                    k.expiresAt().orElse(null), k.lastUsedAt().orElse(null), status.value(),
                    k.revokedAt().orElse(null), k.revocationReason().orElse(null), k.disabledAt().orElse(null),
                    k.updatedAt(), k.rotation().map(ApiKey.Rotation::rotatedAt).orElse(null),
                    k.rotation().map(ApiKey.Rotation::previousSecretExpiresAt).orElse(null), k.allowlist().texts(),
                    k.rateLimit().map(RateLimitJson::of).orElse(null), SubjectJson.of(k));
        }
    }

    /** The create response: the key object plus, this once, its secret. */
    record CreatedApiKeyJson(String id, String name, String description, String organizationId, List<String> scopes,
                             String hint, String createdBy, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                             String status, Instant revokedAt, String revocationReason, Instant disabledAt,
                             Instant updatedAt, Instant rotatedAt, Instant previousSecretExpiresAt, List<String> allowlist,
                             RateLimitJson rateLimit, SubjectJson subject, String secret) {
        static CreatedApiKeyJson of(ApiKeyJson k, String secret) {
            return new CreatedApiKeyJson(k.id(), k.name(), k.description(), k.organizationId(), k.scopes(), k.hint(),
                    k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.status(), k.revokedAt(),
                    k.revocationReason(), k.disabledAt(), k.updatedAt(), k.rotatedAt(), k.previousSecretExpiresAt(),
                    k.allowlist(), k.rateLimit(), k.subject(), secret);
        }
    }

    /** A key's requests per day by outcome; {@code days} oldest first, today (UTC) last, days without requests as zeros. */
    record UsageJson(String keyId, String from, String to, Instant lastUsedAt, String lastUsedAddress,
                     DayJson totals, List<DayJson> days) {
        static UsageJson of(ReadApiKeyUsageUseCase.KeyUsage usage) {
            return new UsageJson(usage.id().toString(), usage.from().toString(), usage.to().toString(),
                    usage.lastUsedAt().orElse(null), usage.lastUsedAddress().orElse(null),
                    DayJson.of(usage.totals(), null), usage.days().stream().map(d -> DayJson.of(d, d.day())).toList());
        }
    }

    /** {@code date} is null in the totals. */
    record DayJson(String date, long success, long scopeRefused, long rateLimited, long ipRefused) {
        static DayJson of(DailyUsage d, LocalDate date) {
            return new DayJson(date == null ? null : date.toString(), d.success(), d.scopeRefused(), d.rateLimited(),
                    d.ipRefused());
        }
    }

    private final ManageApiKeysUseCase keys;
    private final ReadApiKeyUsageUseCase usage;
    private final Authenticator auth;

    public ApiKeyRoutes(ManageApiKeysUseCase keys, ReadApiKeyUsageUseCase usage, Authenticator auth) {
        this.keys = keys;
        this.usage = usage;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post("/api/api-keys", Access.USER, this::create);
        router.get("/api/api-keys", Access.USER, this::list);
        router.get("/api/api-keys/{id}", Access.USER, this::get);
        router.post("/api/api-keys/{id}/revoke", Access.USER, this::revoke);
        router.post("/api/api-keys/{id}/rotate", Access.USER, this::rotate);
        router.patch("/api/api-keys/{id}", Access.USER, this::edit);
        // disabling and enabling are actions of their own, as revoking is, rather than a field of PATCH: each is
        // one idempotent step with its own rule (enabling gives the key's scopes back: the caller must hold them),
        // its own audit event, and a form of its own in the dashboard, which posts without script
        router.post("/api/api-keys/{id}/disable", Access.USER, this::disable);
        router.post("/api/api-keys/{id}/enable", Access.USER, this::enable);
        router.delete("/api/api-keys/{id}", Access.USER, this::delete);
        router.get("/api/api-keys/{id}/usage", Access.USER, this::usage);
        // traffic controls: each a resource of the key, replaced whole (PUT) or removed (DELETE: back to the default)
        router.put("/api/api-keys/{id}/allowlist", Access.USER, this::setAllowlist);
        router.put("/api/api-keys/{id}/rate-limit", Access.USER, this::setRateLimit);
        router.delete("/api/api-keys/{id}/rate-limit", Access.USER, this::removeRateLimit);
        router.get("/api/organization/api-key-defaults", Access.USER, this::defaults);
        router.put("/api/organization/api-key-defaults", Access.USER, this::setDefaults);
    }

    private void setAllowlist(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        AllowlistRequest body = call.body(AllowlistRequest.class);
        call.json(200, ApiKeyJson.of(keys.setAllowlist(caller, id, body.allowlist())));
    }

    private void setRateLimit(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        RateLimitJson body = call.body(RateLimitJson.class);
        call.json(200, ApiKeyJson.of(keys.setRateLimit(caller, id, Optional.of(command(body)))));
    }

    private void removeRateLimit(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        call.json(200, ApiKeyJson.of(keys.setRateLimit(caller, id, Optional.empty())));
    }

    private void defaults(HttpCall call) {
        Caller caller = auth.requireUser(call);
        call.json(200, ApiKeyDefaultsJson.of(keys.getApiKeyDefaults(caller)));
    }

    private void setDefaults(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyDefaultsJson body = call.body(ApiKeyDefaultsJson.class);
        Optional<ManageApiKeysUseCase.RateLimitCommand> limit = body.rateLimit() == null ? Optional.empty()
                : Optional.of(command(body.rateLimit()));
        call.json(200, ApiKeyDefaultsJson.of(keys.setApiKeyDefaults(caller, limit)));
    }

    /** Both fields are required: the use case says so, after checking that the caller may set them. */
    static ManageApiKeysUseCase.RateLimitCommand command(RateLimitJson body) {
        return new ManageApiKeysUseCase.RateLimitCommand(body.requests(), body.windowSeconds());
    }

    private void usage(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        List<FieldError> errors = new ArrayList<>();
        int days = Requests.intParam(call, "days", DEFAULT_USAGE_DAYS, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        call.json(200, UsageJson.of(usage.getApiKeyUsage(caller, id, days)));
    }

    static final int DEFAULT_USAGE_DAYS = 30;

    private void create(HttpCall call) {
        Caller caller = auth.requireUser(call);
        CreateRequest body = call.body(CreateRequest.class);
        var created = FIELDS.call(() -> keys.createApiKey(caller, new ManageApiKeysUseCase.CreateApiKeyCommand(body.name(),
                body.description(), Optional.ofNullable(body.scopes()),
                Optional.ofNullable(body.secondsUntilExpiration()).map(Duration::ofSeconds), Optional.empty(),
                Optional.ofNullable(body.subject()))));
        call.setHeader("Location", "/api/api-keys/" + created.key().id());
        call.json(201, CreatedApiKeyJson.of(ApiKeyJson.of(created.key(), created.status()), created.secret()));
    }

    private void list(HttpCall call) {
        Caller caller = auth.requireUser(call);
        PageRequest pageRequest = Requests.page(call);
        Optional<ApiKeyStatus> status = Requests.apiKeyStatus(call.queryParam("status"));
        var page = FIELDS.call(() -> keys.listApiKeys(caller, new ManageApiKeysUseCase.ListApiKeysQuery(
                call.queryParam("query").orElse(null), status, pageRequest, call.queryParam("subject"))));
        call.json(200, JsonBodies.PageJson.of(page.map(ApiKeyJson::of)));
    }

    private void get(HttpCall call) {
        Caller caller = auth.requireUser(call);
        call.json(200, ApiKeyJson.of(keys.getApiKey(caller, Requests.pathId(call, "id", ApiKeyId::new, "No API key"))));
    }

    private void revoke(HttpCall call) {
        Caller caller = auth.requireUser(call);
        Optional<String> reason = call.hasBody()
                ? Optional.ofNullable(call.body(RevokeRequest.class).revocationReason()) : Optional.empty();
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        call.json(200, ApiKeyJson.of(FIELDS.call(() -> keys.revokeApiKey(caller, id, reason))));
    }

    private void rotate(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        Optional<Duration> grace = call.hasBody()
                ? Optional.ofNullable(call.body(RotateRequest.class).gracePeriodSeconds()).map(Duration::ofSeconds)
                : Optional.empty();
        var rotated = FIELDS.call(() -> keys.rotateApiKey(caller, id, new ManageApiKeysUseCase.RotateApiKeyCommand(grace)));
        call.json(200, CreatedApiKeyJson.of(ApiKeyJson.of(rotated.key(), rotated.status()), rotated.secret()));
    }

    private void edit(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        EditRequest body = call.body(EditRequest.class);
        call.json(200, ApiKeyJson.of(FIELDS.call(() -> keys.editApiKey(caller, id, new ManageApiKeysUseCase.EditApiKeyCommand(
                Optional.ofNullable(body.name()), Optional.ofNullable(body.description()),
                Optional.ofNullable(body.scopes()))))));
    }

    private void disable(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        if (call.hasBody()) call.body(EmptyRequest.class);
        call.json(200, ApiKeyJson.of(keys.disableApiKey(caller, id)));
    }

    private void enable(HttpCall call) {
        Caller caller = auth.requireUser(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        if (call.hasBody()) call.body(EmptyRequest.class);
        call.json(200, ApiKeyJson.of(keys.enableApiKey(caller, id)));
    }

    private void delete(HttpCall call) {
        Caller caller = auth.requireUser(call);
        keys.deleteApiKey(caller, Requests.pathId(call, "id", ApiKeyId::new, "No API key"));
        call.noContent();
    }
}
