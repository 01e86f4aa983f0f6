package com.orgkeys.http.backend;

import com.orgkeys.application.apikey.port.in.AuthenticateApiKeyUseCase;
import com.orgkeys.application.apikey.port.in.AuthenticateApiKeyUseCase.VerifiedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ApiKeyWithStatus;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.HttpProblem;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.FieldNames;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys through the backend API, at the paths and in the shapes {@code @clerk/backend}'s {@code apiKeys} sends and parses
 * (3.25.0: snake_case, times in epoch milliseconds, lists as {@code {data, total_count}}). A backend secret key acts
 * in the organization named by {@code subject}, through the same use cases as the dashboard, audited as
 * {@code secret_key:<id>}. A member's key (one that acts as its user) has the user's id as {@code subject} and its
 * organization in {@code organization_id} (orgkeys' own: a user's key acts inside one organization). PATCH edits description and scopes (and name, which Clerk's SDK does not send); DELETE
 * removes only a revoked or expired key (a working one: 409), as the dashboard does.
 */
public final class BackendApiKeyRoutes {
    /** The backend API's names for the core's fields. */
    static final FieldNames FIELDS = FieldNames.of("lifetime", "seconds_until_expiration", "reason", "revocation_reason",
            "text", "query", "page", "offset", "pageSize", "limit", "organization", "subject");
    static final int DEFAULT_LIMIT = 10;

    /**
     * What {@code apiKeys.create} sends; Clerk's {@code claims} and {@code created_by} are refused unless null;
     * {@code organization_id} is orgkeys' own, for a user's key.
     */
    record CreateRequest(String name, String subject, String organization_id, String description,
                         Map<String, Object> claims, List<String> scopes, String created_by,
                         Long seconds_until_expiration) {
    }

    record RevokeRequest(String revocation_reason) {
    }

    /**
     * What {@code apiKeys.update} sends ({@code subject} always, the rest when given); {@code name} is orgkeys' own.
     * A key stays in its organization and keeps its expiry: a different {@code subject}, {@code claims} or
     * {@code seconds_until_expiration} other than null are refused.
     */
    record UpdateRequest(String subject, String name, String description, Map<String, Object> claims,
                         List<String> scopes, Long seconds_until_expiration) {
    }

    /** Clerk's DeletedObject. */
    record DeletedJson(String object, String id, boolean deleted) {
    }

    record VerifyRequest(String secret) {
    }

    /**
     * Clerk's APIKey resource; {@code secret} only in the answer to create. {@code subject}: the organization's id, or
     * the user's for a user's key; {@code organization_id} (always the key's organization) and {@code disabled} are
     * orgkeys' own.
     */
    record ApiKeyJson(String object, String id, String type, String name, String subject, String organization_id,
                      List<String> scopes, Map<String, Object> claims, boolean revoked, String revocation_reason,
                      boolean expired, boolean disabled, Long expiration, String created_by, String description,
                      Long last_used_at, Long created_at, Long updated_at, String secret) {
        static ApiKeyJson of(ApiKey k, ApiKeyStatus status, String secret) {
            return new ApiKeyJson("api_key", k.id().toString(), "api_key", k.name(),
                    k.owner().map(UserId::toString).orElse(k.organizationId().toString()), k.organizationId().toString(),
                    JsonBodies.permissions(k.scopes()), null, status == ApiKeyStatus.REVOKED,
                    k.revocationReason().orElse(null), status == ApiKeyStatus.EXPIRED, status == ApiKeyStatus.DISABLED,
                    k.expiresAt().map(BackendApiKeyRoutes::millis).orElse(null), k.createdBy().value(),
                    k.description().isEmpty() ? null : k.description(), k.lastUsedAt().map(BackendApiKeyRoutes::millis).orElse(null),
                    millis(k.createdAt()), millis(k.updatedAt()), secret);
        }

        static ApiKeyJson of(ApiKeyWithStatus key) {
            return of(key.key(), key.status(), null);
        }

        /**
         * What verification knows from its cache (as fast as any authenticated request): the key's id, subject,
         * organization, scopes (a user's key: those its user holds now) and expiry. Name, description and times are
         * null here; {@code GET /v1/api_keys/{id}} has them.
         */
        static ApiKeyJson of(VerifiedApiKey key) {
            return new ApiKeyJson("api_key", key.id().toString(), "api_key", null,
                    key.owner().map(UserId::toString).orElse(key.organization().toString()), key.organization().toString(),
                    JsonBodies.permissions(key.scopes()), null, false, null, false, false,
                    key.expiresAt().map(BackendApiKeyRoutes::millis).orElse(null), null, null, null, null, null, null);
        }
    }

    record ListJson(List<ApiKeyJson> data, long total_count) {
    }

    private final ManageApiKeysUseCase keys;
    private final AuthenticateApiKeyUseCase verification;
    private final Authenticator auth;

    public BackendApiKeyRoutes(ManageApiKeysUseCase keys, AuthenticateApiKeyUseCase verification, Authenticator auth) {
        this.keys = keys;
        this.verification = verification;
        this.auth = auth;
    }

    /**
     * Where the routes are: under /v1 as the rest of the backend API, and at the root too, where @clerk/backend 3.25.0
     * calls its {@code apiKeys} ({@code skipApiVersionInUrl}: {@code {apiUrl}/api_keys}, unlike its other APIs).
     */
    public static final List<String> BASES = List.of("/v1/api_keys", "/api_keys");

    /** The paths answered in Clerk's error shape: the backend API's. */
    public static boolean isBackendPath(String path) {
        return path.startsWith("/v1/") || path.equals("/api_keys") || path.startsWith("/api_keys/");
    }

    public void register(Router router) {
        router.errorBody(BackendApiKeyRoutes::isBackendPath, ClerkErrors::write);
        for (String base : BASES) {
            router.get(base, Access.SECRET_KEY, this::list);
            router.post(base, Access.SECRET_KEY, this::create);
            router.post(base + "/verify", Access.SECRET_KEY, this::verify);
            router.get(base + "/{id}", Access.SECRET_KEY, this::get);
            router.post(base + "/{id}/revoke", Access.SECRET_KEY, this::revoke);
            router.get(base + "/{id}/secret", Access.SECRET_KEY, this::secret);
            router.patch(base + "/{id}", Access.SECRET_KEY, this::update);
            router.delete(base + "/{id}", Access.SECRET_KEY, this::delete);
        }
    }

    private void create(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        CreateRequest body = call.body(CreateRequest.class);
        List<FieldError> errors = new ArrayList<>();
        Optional<SubjectRequest> subject = SubjectRequest.of(body.subject(), body.organization_id(), errors);
        if (body.claims() != null) errors.add(new FieldError("claims", "are not supported: use scopes"));
        if (body.created_by() != null) {
            errors.add(new FieldError("created_by", "is not supported: orgkeys records the secret key as the creator"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        var created = subject.get().call(() -> keys.createApiKey(backend.in(subject.get().organization()),
                new ManageApiKeysUseCase.CreateApiKeyCommand(body.name(), body.description(),
                        Optional.ofNullable(body.scopes()),
                        Optional.ofNullable(body.seconds_until_expiration()).map(Duration::ofSeconds), Optional.empty(),
                        subject.get().core())));
        call.json(200, ApiKeyJson.of(created.key(), created.status(), created.secret()));
    }

    private void list(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        List<FieldError> errors = new ArrayList<>();
        Optional<SubjectRequest> subject = SubjectRequest.of(call.queryParam("subject").orElse(null),
                call.queryParam("organization_id").orElse(null), errors);
        int limit = intParam(call, "limit", DEFAULT_LIMIT, errors);
        int offset = intParam(call, "offset", 0, errors);
        boolean includeInvalid = switch (call.queryParam("include_invalid").orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(new FieldError("include_invalid", "must be true or false"));
                yield false;
            }
        };
        if (errors.isEmpty() && limit > 0 && offset % limit != 0) {
            errors.add(new FieldError("offset", "must be a multiple of limit"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Optional<ApiKeyStatus> status = includeInvalid ? Optional.empty() : Optional.of(ApiKeyStatus.ACTIVE);
        var page = subject.get().call(() -> keys.listApiKeys(backend.in(subject.get().organization()),
                new ManageApiKeysUseCase.ListApiKeysQuery(null, status,
                        new PageRequest(limit < 1 ? 0 : offset / limit + 1, limit), subject.get().core())));
        call.json(200, new ListJson(page.data().stream().map(ApiKeyJson::of).toList(), page.totalCount()));
    }

    private void get(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        call.json(200, ApiKeyJson.of(keys.getApiKey(backend, Requests.pathId(call, "id", ApiKeyId::new, "No API key"))));
    }

    private void revoke(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        Optional<String> reason = call.hasBody()
                ? Optional.ofNullable(call.body(RevokeRequest.class).revocation_reason()) : Optional.empty();
        call.json(200, ApiKeyJson.of(FIELDS.call(() -> keys.revokeApiKey(backend, id, reason))));
    }

    private void update(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        UpdateRequest body = call.body(UpdateRequest.class);
        List<FieldError> errors = new ArrayList<>();
        Optional<UUID> subject = body.subject() == null ? Optional.empty() : uuid("subject", body.subject(), errors);
        if (body.claims() != null) errors.add(new FieldError("claims", "are not supported: use scopes"));
        if (body.seconds_until_expiration() != null) {
            errors.add(new FieldError("seconds_until_expiration", "cannot be changed: a key keeps the expiry it was "
                    + "created with (create a new key for another one)"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        // another subject is refused by the use case once the key is found (after the other fields are valid)
        call.json(200, ApiKeyJson.of(FIELDS.call(() -> keys.editApiKey(backend, id, new ManageApiKeysUseCase.EditApiKeyCommand(
                Optional.ofNullable(body.name()), Optional.ofNullable(body.description()),
                Optional.ofNullable(body.scopes()), subject)))));
    }

    private void delete(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        ApiKeyId id = Requests.pathId(call, "id", ApiKeyId::new, "No API key");
        keys.deleteApiKey(backend, id);
        call.json(200, new DeletedJson("api_key", id.toString(), true));
    }

    /** Clerk can show a key's secret again; orgkeys keeps only its hash, so there is nothing to show. */
    private void secret(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        keys.getApiKey(backend, Requests.pathId(call, "id", ApiKeyId::new, "No API key")); // 404 for no such key
        throw new HttpProblem(400, "Bad Request", "orgkeys never keeps API key secrets (only their SHA-256): a secret "
                + "is shown once, when the key is created. Revoke the key and create a new one.");
    }

    private void verify(HttpCall call) {
        auth.requireSecretKey(call);
        VerifyRequest body = call.body(VerifyRequest.class);
        if (body.secret() == null || body.secret().isEmpty()) throw new InvalidInputException("secret", "is required");
        VerifiedApiKey key = verification.verify(body.secret())
                .orElseThrow(() -> new NotFoundException("The API key is invalid, expired or revoked."));
        call.json(200, ApiKeyJson.of(key));
    }

    /**
     * Whose keys a request is about: Clerk's {@code subject} (an organization's id, or a user's) with orgkeys'
     * {@code organization_id} (needed for a user's keys: a user's key acts inside one organization).
     */
    record SubjectRequest(OrganizationId organization, Optional<UserId> user) {
        static Optional<SubjectRequest> of(String subject, String organizationId, List<FieldError> errors) {
            if (subject == null || subject.isEmpty()) {
                errors.add(new FieldError("subject", "is required: the id of the organization the key belongs to, "
                        + "or of a member (with the organization in organization_id)"));
                return Optional.empty();
            }
            Optional<UUID> id = uuid("subject", subject, errors);
            Optional<UUID> org = organizationId == null ? id : uuid("organization_id", organizationId, errors);
            if (id.isEmpty() || org.isEmpty()) return Optional.empty();
            OrganizationId organization = new OrganizationId(org.get());
            return Optional.of(new SubjectRequest(organization,
                    id.equals(org) ? Optional.empty() : Optional.of(new UserId(id.get()))));
        }

        /** The subject as the use cases name it: {@code organization} or {@code user:<id>}. */
        Optional<String> core() {
            return Optional.of(user.map(u -> "user:" + u).orElse("organization"));
        }

        /**
         * Runs a use case, naming fields as the backend API does. An organization not found may be a user's id sent
         * alone: the 404 says how to name a member's keys.
         */
        <T> T call(java.util.function.Supplier<T> action) {
            try {
                return FIELDS.call(action);
            } catch (NotFoundException e) {
                if (user.isPresent() || !e.getMessage().startsWith("No organization")) throw e;
                throw new NotFoundException(e.getMessage() + " For a member's keys, send the user's id as subject and "
                        + "the organization's as organization_id.");
            }
        }
    }

    private static Optional<UUID> uuid(String field, String text, List<FieldError> errors) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, field.equals("organization_id") ? "must be an organization id"
                    : "must be an organization or user id"));
            return Optional.empty();
        }
    }

    static int intParam(HttpCall call, String name, int fallback, List<FieldError> errors) {
        Optional<String> text = call.queryParam(name);
        if (text.isEmpty()) return fallback;
        try {
            int value = Integer.parseInt(text.get());
            int max = name.equals("limit") ? PageRequest.MAX_PAGE_SIZE : PageRequest.MAX_OFFSET;
            int min = name.equals("limit") ? 1 : 0;
            if (value < min || value > max) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, name.equals("limit") ? "must be 1–100" : "must be 0–1000000"));
            return fallback;
        }
    }

    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
