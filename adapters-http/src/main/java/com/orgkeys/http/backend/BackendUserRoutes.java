package com.orgkeys.http.backend;

import com.orgkeys.application.account.port.in.ManageUsersUseCase;
import com.orgkeys.application.account.port.in.ManageUsersUseCase.CreateUserCommand;
import com.orgkeys.application.account.port.in.ManageUsersUseCase.ListUsersQuery;
import com.orgkeys.application.account.port.in.ManageUsersUseCase.MetadataCommand;
import com.orgkeys.application.account.port.in.ManageUsersUseCase.UpdateUserCommand;
import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.Requests;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Users and sessions through the backend API, at the paths and in the shapes {@code @clerk/backend} 3.25.0's
 * {@code users} and {@code sessions} send and parse. orgkeys' account has one email and one name: Clerk's first and
 * last names are joined into it on the way in and the whole name comes back as {@code first_name}; phone numbers,
 * usernames, web3 wallets, external and enterprise accounts are always empty, images absent, {@code banned} and
 * {@code locked} false, {@code updated_at} the creation time (orgkeys does not keep another).
 */
public final class BackendUserRoutes {
    static final int DEFAULT_LIMIT = 10;
    /** What {@code GET /v1/users} and {@code /v1/users/count} filter by; Clerk's other filters are refused, not ignored. */
    private static final Set<String> USER_LIST_PARAMS = Set.of("limit", "offset", "order_by", "email_address", "query");
    private static final Set<String> SESSION_LIST_PARAMS = Set.of("limit", "offset", "user_id", "status", "paginated");

    record CreateUserRequest(List<String> email_address, String password, String first_name, String last_name,
                             Object public_metadata, Object private_metadata, Object unsafe_metadata) {
        @Override
        public String toString() {
            return "CreateUserRequest[***]";
        }
    }

    record UpdateUserRequest(String password, String first_name, String last_name, Object public_metadata,
                             Object private_metadata, Object unsafe_metadata) {
        @Override
        public String toString() {
            return "UpdateUserRequest[***]";
        }
    }

    /** Clerk's revoke sends no body; one that is sent must be an empty object. */
    record RevokeSessionRequest() {
    }

    record MetadataRequest(Object public_metadata, Object private_metadata, Object unsafe_metadata) {
    }

    record VerificationJson(String object, String status, String strategy, Integer attempts, Long expire_at) {
    }

    record EmailAddressJson(String id, String object, String email_address, boolean reserved,
                            VerificationJson verification, List<Object> linked_to) {
    }

    /** Clerk's User resource. */
    record UserJson(String object, String id, String external_id, String primary_email_address_id,
                    String primary_phone_number_id, String primary_web3_wallet_id, String username, String first_name,
                    String last_name, String image_url, boolean has_image, Map<String, Object> public_metadata,
                    Map<String, Object> private_metadata, Map<String, Object> unsafe_metadata,
                    List<EmailAddressJson> email_addresses, List<Object> phone_numbers, List<Object> web3_wallets,
                    List<Object> external_accounts, List<Object> enterprise_accounts, boolean password_enabled,
                    boolean banned, boolean locked, Long last_sign_in_at, Long last_active_at, long created_at,
                    long updated_at, boolean delete_self_enabled, boolean create_organization_enabled) {
        static UserJson of(UserProfile profile) {
            User user = profile.user();
            String emailId = emailId(user.id());
            var email = new EmailAddressJson(emailId, "email_address", user.email().value(), false,
                    new VerificationJson("verification", user.emailVerified() ? "verified" : "unverified",
                            user.emailVerified() ? "email_link" : null, null, null), List.of());
            long created = user.createdAt().toEpochMilli();
            return new UserJson("user", user.id().toString(), null, emailId, null, null, null, user.name(), null, "",
                    false, profile.metadata().publicMetadata().values(), profile.metadata().privateMetadata().values(),
                    profile.metadata().unsafeMetadata().values(), List.of(email), List.of(), List.of(), List.of(),
                    List.of(), true, false, false, profile.lastSignInAt().map(Instant::toEpochMilli).orElse(null),
                    profile.lastActiveAt().map(Instant::toEpochMilli).orElse(null), created, created, false, true);
        }
    }

    /** An account's one address has a stable id of its own, derived from the account's (Clerk ids each address). */
    static String emailId(UserId user) {
        return UUID.nameUUIDFromBytes(("email_address:" + user).getBytes(StandardCharsets.UTF_8)).toString();
    }

    record CountJson(String object, long total_count) {
    }

    record DeletedJson(String object, String id, boolean deleted) {
    }

    record SessionActivityJson(String object, String id, String ip_address, String browser_name) {
    }

    /** Clerk's Session resource; {@code id} is the session's public id, never its cookie or the cookie's hash. */
    record SessionJson(String object, String id, String client_id, String user_id, String status, long last_active_at,
                       long expire_at, long abandon_at, long created_at, long updated_at,
                       String last_active_organization_id, SessionActivityJson latest_activity, Object actor) {
        static SessionJson of(Session s, Instant now) {
            long updated = s.revokedAt().orElse(s.lastActiveAt()).toEpochMilli();
            return new SessionJson("session", s.id().toString(), null, s.userId().toString(),
                    s.status(now).name().toLowerCase(java.util.Locale.ROOT), s.lastActiveAt().toEpochMilli(),
                    s.expiresAt().toEpochMilli(), s.createdAt().plus(Session.ABSOLUTE_LIFETIME).toEpochMilli(),
                    s.createdAt().toEpochMilli(), updated, s.activeOrganization().map(Object::toString).orElse(null),
                    new SessionActivityJson("session_activity", s.id().toString(),
                            s.clientAddress().isEmpty() ? null : s.clientAddress(),
                            s.userAgent().isEmpty() ? null : s.userAgent()), null);
        }
    }

    record SessionListJson(List<SessionJson> data, long total_count) {
    }

    private final ManageUsersUseCase users;
    private final Authenticator auth;
    private final java.time.Clock clock;

    public BackendUserRoutes(ManageUsersUseCase users, Authenticator auth, java.time.Clock clock) {
        this.users = users;
        this.auth = auth;
        this.clock = clock;
    }

    public void register(Router router) {
        router.get("/v1/users", Access.SECRET_KEY, this::list);
        router.get("/v1/users/count", Access.SECRET_KEY, this::count);
        router.post("/v1/users", Access.SECRET_KEY, this::create);
        router.get("/v1/users/{id}", Access.SECRET_KEY, this::get);
        router.patch("/v1/users/{id}", Access.SECRET_KEY, this::update);
        router.delete("/v1/users/{id}", Access.SECRET_KEY, this::delete);
        router.patch("/v1/users/{id}/metadata", Access.SECRET_KEY, this::mergeMetadata);
        router.put("/v1/users/{id}/metadata", Access.SECRET_KEY, this::replaceMetadata);
        router.get("/v1/sessions", Access.SECRET_KEY, this::listSessions);
        router.get("/v1/sessions/{id}", Access.SECRET_KEY, this::getSession);
        router.post("/v1/sessions/{id}/revoke", Access.SECRET_KEY, this::revokeSession);
    }

    private static void onlyParams(HttpCall call, Set<String> allowed, List<FieldError> errors) {
        call.queryParams().keySet().stream().filter(name -> !allowed.contains(name)).sorted().limit(5)
                .forEach(name -> errors.add(new FieldError(name.length() > 50 ? name.substring(0, 50) : name,
                        "is not supported by orgkeys")));
    }

    private static ListUsersQuery userQuery(HttpCall call, List<FieldError> errors) {
        onlyParams(call, USER_LIST_PARAMS, errors);
        return new ListUsersQuery(call.queryParams().getOrDefault("email_address", List.of()),
                call.queryParam("query"), call.queryParam("order_by"));
    }

    /** Clerk's {@code GET /users} answers a bare array; the SDK asks {@code /users/count} for the total. */
    private void list(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        List<FieldError> errors = new ArrayList<>();
        ListUsersQuery query = userQuery(call, errors);
        int limit = Requests.intParam(call, "limit", DEFAULT_LIMIT, errors);
        int offset = Requests.intParam(call, "offset", 0, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        call.json(200, users.listUsers(backend, query, limit, offset).stream().map(UserJson::of).toList());
    }

    private void count(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        List<FieldError> errors = new ArrayList<>();
        ListUsersQuery query = userQuery(call, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        call.json(200, new CountJson("total_count", users.countUsers(backend, query)));
    }

    private void create(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        CreateUserRequest body = call.body(CreateUserRequest.class);
        List<String> emails = body.email_address() == null ? List.of() : body.email_address();
        if (emails.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidInputException("email_address", "must be a list of addresses");
        }
        call.json(200, UserJson.of(users.createUser(backend, new CreateUserCommand(emails,
                Optional.ofNullable(body.password()), Optional.ofNullable(body.first_name()),
                Optional.ofNullable(body.last_name()), Optional.ofNullable(body.public_metadata()),
                Optional.ofNullable(body.private_metadata()), Optional.ofNullable(body.unsafe_metadata())))));
    }

    private static UserId userId(HttpCall call) {
        return Requests.pathId(call, "id", UserId::new, "No user");
    }

    private void get(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        call.json(200, UserJson.of(users.getUser(backend, userId(call))));
    }

    private void update(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        UserId id = userId(call);
        UpdateUserRequest body = call.hasBody() ? call.body(UpdateUserRequest.class)
                : new UpdateUserRequest(null, null, null, null, null, null);
        call.json(200, UserJson.of(users.updateUser(backend, id, new UpdateUserCommand(
                Optional.ofNullable(body.password()), Optional.ofNullable(body.first_name()),
                Optional.ofNullable(body.last_name()), Optional.ofNullable(body.public_metadata()),
                Optional.ofNullable(body.private_metadata()), Optional.ofNullable(body.unsafe_metadata())))));
    }

    private void delete(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        UserId id = userId(call);
        users.deleteUser(backend, id);
        call.json(200, new DeletedJson("user", id.toString(), true));
    }

    private MetadataCommand metadata(HttpCall call) {
        MetadataRequest body = call.hasBody() ? call.body(MetadataRequest.class) : new MetadataRequest(null, null, null);
        return new MetadataCommand(Optional.ofNullable(body.public_metadata()),
                Optional.ofNullable(body.private_metadata()), Optional.ofNullable(body.unsafe_metadata()));
    }

    private void mergeMetadata(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        UserId id = userId(call);
        call.json(200, UserJson.of(users.mergeMetadata(backend, id, metadata(call))));
    }

    private void replaceMetadata(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        UserId id = userId(call);
        call.json(200, UserJson.of(users.replaceMetadata(backend, id, metadata(call))));
    }

    /** Clerk's session statuses; orgkeys' sessions are active, revoked (signed out or revoked) or expired. */
    private static final Set<String> CLERK_STATUSES = Set.of("active", "revoked", "expired", "ended", "removed",
            "abandoned", "replaced", "pending");

    private void listSessions(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        List<FieldError> errors = new ArrayList<>();
        onlyParams(call, SESSION_LIST_PARAMS, errors);
        Optional<UserId> userId = Optional.empty();
        Optional<String> userText = call.queryParam("user_id");
        if (userText.isEmpty()) {
            errors.add(new FieldError("user_id", "is required (orgkeys has no clients: client_id is not supported)"));
        } else {
            try {
                userId = Optional.of(new UserId(UUID.fromString(userText.get())));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("user_id", "must be a user id"));
            }
        }
        Optional<String> status = call.queryParam("status");
        if (status.isPresent() && !CLERK_STATUSES.contains(status.get())) {
            errors.add(new FieldError("status", "must be one of " + String.join(", ", CLERK_STATUSES.stream().sorted().toList())));
        }
        int limit = Requests.intParam(call, "limit", DEFAULT_LIMIT, errors);
        int offset = Requests.intParam(call, "offset", 0, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Optional<Session.Status> filter = status.flatMap(s -> switch (s) {
            case "active" -> Optional.of(Session.Status.ACTIVE);
            case "revoked" -> Optional.of(Session.Status.REVOKED);
            case "expired" -> Optional.of(Session.Status.EXPIRED);
            default -> Optional.<Session.Status>empty();
        });
        if (status.isPresent() && filter.isEmpty()) { // a Clerk status no orgkeys session ever has
            call.json(200, new SessionListJson(List.of(), 0));
            return;
        }
        var page = users.listSessions(backend, userId.get(), filter, limit, offset);
        Instant now = clock.instant();
        call.json(200, new SessionListJson(page.data().stream().map(s -> SessionJson.of(s, now)).toList(), page.totalCount()));
    }

    private static SessionId sessionId(HttpCall call) {
        return Requests.pathId(call, "id", SessionId::new, "No session");
    }

    private void getSession(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        call.json(200, SessionJson.of(users.getSession(backend, sessionId(call)), clock.instant()));
    }

    private void revokeSession(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        if (call.hasBody()) call.body(RevokeSessionRequest.class);
        call.json(200, SessionJson.of(users.revokeSession(backend, sessionId(call)), clock.instant()));
    }
}
