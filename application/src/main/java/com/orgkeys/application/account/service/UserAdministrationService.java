package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.AccountMetadataUseCase;
import com.orgkeys.application.account.port.in.ManageUsersUseCase;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.application.apikey.service.OwnedApiKeys;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.application.shared.port.out.MetadataJson;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Password;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.account.UserMetadata;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.membership.UserOrganization;
import com.orgkeys.domain.metadata.Metadata;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.Text;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.orgkeys.domain.shared.Validation.collect;

/**
 * The backend API's users and sessions (a secret key is the instance's operator, as in Clerk) and the signed-in user's
 * own metadata. Changes are audited as {@code secret_key:<id>} in each organization the user belongs to (audit events
 * belong to an organization: a user of none leaves no event).
 */
public final class UserAdministrationService implements ManageUsersUseCase, AccountMetadataUseCase {
    /** Clerk accepts at most this many email_address filters; so does orgkeys, which keeps the IN list bounded. */
    static final int MAX_EMAIL_FILTERS = 100;
    static final int MAX_QUERY_LENGTH = 200;

    private final UserRepository users;
    private final SessionRepository sessions;
    private final MembershipRepository memberships;
    private final OrganizationRepository organizations;
    private final PasswordHasher hasher;
    private final MetadataJson json;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final OwnedApiKeys ownedKeys;
    private final AccountWebhooks webhooks;

    /** @param ownedKeys the users' own API keys, revoked when their user is deleted */
    public UserAdministrationService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                                     OrganizationRepository organizations, PasswordHasher hasher, MetadataJson json,
                                     Audit audit, TransactionRunner tx, Clock clock, OwnedApiKeys ownedKeys) {
        this(users, sessions, memberships, organizations, hasher, json, audit, tx, clock, ownedKeys, AccountWebhooks.NONE);
    }

    /** @param webhooks told of each user and session change ({@code user.*}, {@code session.revoked}) */
    public UserAdministrationService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                                     OrganizationRepository organizations, PasswordHasher hasher, MetadataJson json,
                                     Audit audit, TransactionRunner tx, Clock clock, OwnedApiKeys ownedKeys,
                                     AccountWebhooks webhooks) {
        this.ownedKeys = ownedKeys;
        this.webhooks = webhooks;
        this.users = users;
        this.sessions = sessions;
        this.memberships = memberships;
        this.organizations = organizations;
        this.hasher = hasher;
        this.json = json;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** The caller's type admits only a secret key; a null one is a bug, never an anonymous operator. */
    private static SecretKeyCaller backend(SecretKeyCaller caller) {
        return java.util.Objects.requireNonNull(caller, "caller");
    }

    @Override
    public List<UserProfile> listUsers(SecretKeyCaller caller, ListUsersQuery query, int limit, int offset) {
        backend(caller);
        if (limit < 1 || limit > PageRequest.MAX_PAGE_SIZE) throw new InvalidInputException("limit", "must be 1–100");
        if (offset < 0 || offset > PageRequest.MAX_OFFSET) throw new InvalidInputException("offset", "must be 0–1000000");
        return filter(query).map(f -> users.list(f, limit, offset)).orElse(List.of());
    }

    @Override
    public long countUsers(SecretKeyCaller caller, ListUsersQuery query) {
        backend(caller);
        return filter(query).map(f -> users.count(f, Page.COUNT_CAP)).orElse(0L);
    }

    /** The repository's filter; empty when the emails asked for cannot be any account's (nothing matches). */
    private static Optional<UserRepository.Filter> filter(ListUsersQuery query) {
        List<FieldError> errors = new ArrayList<>();
        if (query.emailAddresses().size() > MAX_EMAIL_FILTERS) {
            errors.add(new FieldError("email_address", "may be given at most " + MAX_EMAIL_FILTERS + " times"));
        }
        List<Email> emails = new ArrayList<>();
        boolean unmatchable = false;
        for (String text : query.emailAddresses()) {
            if (text.length() > Email.MAX_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
                // no address is this long or holds NUL or a newline: a client error, not a search that finds nothing
                errors.add(new FieldError("email_address", "must be email addresses of at most " + Email.MAX_LENGTH
                        + " characters"));
                break;
            }
            try {
                emails.add(new Email(text));
            } catch (InvalidInputException e) {
                unmatchable = true; // no account has a malformed address: it matches nothing, as in Clerk
            }
        }
        Optional<String> text = query.query().filter(q -> !q.isBlank()).map(q -> {
            String stripped = q.strip();
            if (stripped.length() > MAX_QUERY_LENGTH || stripped.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError("query", "must be one line of at most " + MAX_QUERY_LENGTH + " characters"));
            }
            return stripped;
        });
        String orderBy = query.orderBy().orElse("-created_at");
        boolean descending = orderBy.startsWith("-");
        String name = orderBy.startsWith("-") || orderBy.startsWith("+") ? orderBy.substring(1) : orderBy;
        UserRepository.Order order = switch (name) {
            case "created_at", "updated_at" -> UserRepository.Order.CREATED_AT;
            case "email_address" -> UserRepository.Order.EMAIL;
            case "first_name" -> UserRepository.Order.NAME;
            default -> {
                errors.add(new FieldError("order_by", "must be created_at, updated_at, email_address or first_name, "
                        + "with + or - before it"));
                yield UserRepository.Order.CREATED_AT;
            }
        };
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        if (unmatchable && emails.isEmpty()) return Optional.empty();
        return Optional.of(new UserRepository.Filter(emails, text, order, descending));
    }

    @Override
    public UserProfile getUser(SecretKeyCaller caller, UserId id) {
        backend(caller);
        return users.profile(id).orElseThrow(() -> noUser(id));
    }

    @Override
    public UserProfile createUser(SecretKeyCaller caller, CreateUserCommand command) {
        SecretKeyCaller backend = backend(caller);
        List<FieldError> errors = new ArrayList<>();
        Email email = null;
        if (command.emailAddresses().size() != 1) {
            errors.add(new FieldError("email_address", command.emailAddresses().isEmpty() ? "is required"
                    : "must be one address: an orgkeys account has one email"));
        } else {
            email = collectAs(errors, () -> Email.parse(command.emailAddresses().get(0)), "email_address");
        }
        Password password = command.password().map(p -> collect(errors, () -> Password.choose(p))).orElse(null);
        String name = collect(errors, () -> name(command.firstName(), command.lastName()));
        UserMetadata metadata = collect(errors, () -> metadata(UserMetadata.EMPTY, command.publicMetadata(),
                command.privateMetadata(), command.unsafeMetadata(), false));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        if (users.findByEmail(email).isPresent()) throw emailTaken();
        // without a password, one nobody is told: the user chooses theirs with a password reset (or signs in by mail)
        String hash = hasher.hash(password != null ? password : Password.choose(Secrets.newToken()));
        Instant now = clock.instant();
        // the backend vouches for the address, as Clerk's backend-created users are verified
        User user = new User(UserId.random(), email, name, hash, now, Optional.of(now));
        return tx.inTransaction(() -> {
            try {
                users.insert(user);
            } catch (ConflictException e) {
                throw emailTaken(); // a parallel create of the same address won the unique index
            }
            users.updateMetadata(user.id(), metadata);
            webhooks.userCreated(user.id());
            return users.profile(user.id()).orElseThrow();
        });
    }

    /** Like {@code collect}, with the errors named as the backend API names the field. */
    private static <T> T collectAs(List<FieldError> errors, Supplier<T> check, String field) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            e.errors().forEach(f -> errors.add(new FieldError(field, f.message())));
            return null;
        }
    }

    private static ConflictException emailTaken() {
        return new ConflictException("That email address is taken: it belongs to another account.");
    }

    /** orgkeys keeps one name: Clerk's first and last names joined by a space. */
    private static String name(Optional<String> first, Optional<String> last) {
        String joined = Stream.of(first, last).flatMap(Optional::stream).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.joining(" "));
        return Text.singleLine("first_name", joined, 100);
    }

    @Override
    public UserProfile updateUser(SecretKeyCaller caller, UserId id, UpdateUserCommand command) {
        SecretKeyCaller backend = backend(caller);
        List<FieldError> errors = new ArrayList<>();
        Password password = command.password().map(p -> collect(errors, () -> Password.choose(p))).orElse(null);
        Optional<String> name = command.firstName().isPresent() || command.lastName().isPresent()
                ? Optional.ofNullable(collect(errors, () -> name(command.firstName(), command.lastName())))
                : Optional.empty();
        // checked before the transaction (the final sizes again inside it, against the stored objects)
        collect(errors, () -> metadata(UserMetadata.EMPTY, command.publicMetadata(), command.privateMetadata(),
                command.unsafeMetadata(), false));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        String hash = password == null ? null : hasher.hash(password);
        return tx.inTransaction(() -> {
            UserMetadata stored = users.lockMetadata(id).orElseThrow(() -> noUser(id));
            List<String> changed = new ArrayList<>();
            name.ifPresent(n -> {
                users.updateName(id, n);
                changed.add("name");
            });
            if (hash != null) {
                users.updatePasswordHash(id, hash);
                Instant now = clock.instant();
                List<Session> revoked = sessions.revokeAll(id, now); // as a password reset: every session ends
                webhooks.sessionsRevoked(revoked, now);
                changed.add("password (sessions_revoked=" + revoked.size() + ")");
            }
            if (command.publicMetadata().isPresent() || command.privateMetadata().isPresent()
                    || command.unsafeMetadata().isPresent()) {
                users.updateMetadata(id, metadata(stored, command.publicMetadata(), command.privateMetadata(),
                        command.unsafeMetadata(), false));
                changed.add("metadata");
            }
            auditForUser(backend, id, "user.updated", String.join(", ", changed));
            // a new password changes nothing the user's data shows: its event is the sessions' revocation
            if (name.isPresent() || changed.contains("metadata")) webhooks.userUpdated(id);
            return users.profile(id).orElseThrow();
        });
    }

    @Override
    public UserProfile mergeMetadata(SecretKeyCaller caller, UserId id, MetadataCommand command) {
        return changeMetadata(backend(caller), id, command, true);
    }

    @Override
    public UserProfile replaceMetadata(SecretKeyCaller caller, UserId id, MetadataCommand command) {
        return changeMetadata(backend(caller), id, command, false);
    }

    private UserProfile changeMetadata(SecretKeyCaller backend, UserId id, MetadataCommand command, boolean merge) {
        // the shapes first, so that a malformed request is a 422 even for a user that does not exist
        metadataChecked(() -> metadata(UserMetadata.EMPTY, command.publicMetadata(), command.privateMetadata(),
                command.unsafeMetadata(), false));
        return tx.inTransaction(() -> {
            // the row lock serializes concurrent merges: each sees the one before
            UserMetadata stored = users.lockMetadata(id).orElseThrow(() -> noUser(id));
            UserMetadata next = metadataChecked(() -> metadata(stored, command.publicMetadata(),
                    command.privateMetadata(), command.unsafeMetadata(), merge));
            users.updateMetadata(id, next);
            auditForUser(backend, id, "user.metadata_updated", (merge ? "merged: " : "replaced: ")
                    + Stream.of(command.publicMetadata().map(m -> "public_metadata"),
                            command.privateMetadata().map(m -> "private_metadata"),
                            command.unsafeMetadata().map(m -> "unsafe_metadata"))
                    .flatMap(Optional::stream).collect(Collectors.joining(", ")));
            webhooks.userUpdated(id);
            return users.profile(id).orElseThrow();
        });
    }

    private static UserMetadata metadataChecked(Supplier<UserMetadata> metadata) {
        List<FieldError> errors = new ArrayList<>();
        UserMetadata result = collect(errors, metadata::get);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return result;
    }

    /** {@code stored} with each given object merged into it or replacing it; each error names its field. */
    private UserMetadata metadata(UserMetadata stored, Optional<Object> publicMetadata, Optional<Object> privateMetadata,
                                  Optional<Object> unsafeMetadata, boolean merge) {
        List<FieldError> errors = new ArrayList<>();
        UserMetadata result = stored;
        Metadata pub = publicMetadata.map(v -> collect(errors, () -> next(stored.publicMetadata(), "public_metadata", v, merge))).orElse(null);
        Metadata priv = privateMetadata.map(v -> collect(errors, () -> next(stored.privateMetadata(), "private_metadata", v, merge))).orElse(null);
        Metadata unsafe = unsafeMetadata.map(v -> collect(errors, () -> next(stored.unsafeMetadata(), "unsafe_metadata", v, merge))).orElse(null);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        if (pub != null) result = result.withPublic(pub);
        if (priv != null) result = result.withPrivate(priv);
        if (unsafe != null) result = result.withUnsafe(unsafe);
        return result;
    }

    private Metadata next(Metadata stored, String field, Object value, boolean merge) {
        return merge ? stored.merge(field, value, json::write) : Metadata.of(field, value, json::write);
    }

    @Override
    public void deleteUser(SecretKeyCaller caller, UserId id) {
        SecretKeyCaller backend = backend(caller);
        List<String> forget = tx.inTransaction(() -> {
            if (users.lockMetadata(id).isEmpty()) throw noUser(id);
            // the organizations' row locks, in one order (no deadlock between two deletions), make the last-admin
            // check hold against a concurrent demotion or removal, as MembershipService's own checks do
            List<UserOrganization> memberOf = memberships.listForUser(id).stream()
                    .sorted(Comparator.comparing(o -> o.organization().id().value())).toList();
            for (UserOrganization o : memberOf) {
                OrganizationId org = o.organization().id();
                organizations.lock(org);
                if (o.role().equals(RoleKey.ADMIN) && memberships.countWithRole(org, RoleKey.ADMIN) <= 1
                        && memberships.page(org, PageRequest.first(2)).data().size() > 1) {
                    throw new ConflictException("This user is the last admin of the organization " + org + " ("
                            + o.organization().name() + "), which has other members: make someone else admin there first.");
                }
            }
            for (UserOrganization o : memberOf) {
                audit.record(backend, o.organization().id(), "user.deleted", id.toString(), "");
            }
            // with the organizations locked, as creating a key for oneself locks its organization: none is made after
            List<String> revoked = ownedKeys.ownerDeleted(backend, id);
            users.delete(id); // sessions, memberships, factors and tokens go with the row (ON DELETE CASCADE)
            webhooks.userDeleted(id);
            return revoked;
        });
        ownedKeys.forgetHere(forget);
    }

    @Override
    public SessionList listSessions(SecretKeyCaller caller, UserId userId, Optional<Session.Status> status, int limit, int offset) {
        backend(caller);
        if (limit < 1 || limit > PageRequest.MAX_PAGE_SIZE) throw new InvalidInputException("limit", "must be 1–100");
        if (offset < 0 || offset > PageRequest.MAX_OFFSET) throw new InvalidInputException("offset", "must be 0–1000000");
        Instant now = clock.instant();
        return new SessionList(sessions.listForUser(userId, status, now, limit, offset),
                sessions.countForUser(userId, status, now, Page.COUNT_CAP));
    }

    @Override
    public Session getSession(SecretKeyCaller caller, SessionId id) {
        backend(caller);
        return sessions.findById(id).orElseThrow(() -> new NotFoundException("No session " + id + "."));
    }

    @Override
    public Session revokeSession(SecretKeyCaller caller, SessionId id) {
        SecretKeyCaller backend = backend(caller);
        return tx.inTransaction(() -> {
            Session session = sessions.findById(id).orElseThrow(() -> new NotFoundException("No session " + id + "."));
            // the same revocation as the owner's own: every node reads the session on each request, so it ends at once
            Instant now = clock.instant();
            if (sessions.revoke(session.userId(), id, now)) {
                auditForUser(backend, session.userId(), "user.session_revoked", "session=" + id);
                webhooks.sessionRevoked(id, now);
            }
            return sessions.findById(id).orElseThrow();
        });
    }

    private void auditForUser(SecretKeyCaller backend, UserId id, String action, String details) {
        memberships.listForUser(id).forEach(o -> audit.record(backend, o.organization().id(), action, id.toString(), details));
    }

    private static NotFoundException noUser(UserId id) {
        return new NotFoundException("No user " + id + ".");
    }

    @Override
    public AccountMetadata getMetadata(UserCaller caller) {
        UserMetadata stored = users.profile(caller.userId()).map(UserProfile::metadata)
                .orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        return new AccountMetadata(stored.publicMetadata(), stored.unsafeMetadata());
    }

    @Override
    public AccountMetadata replaceUnsafeMetadata(UserCaller caller, Object unsafeMetadata) {
        Metadata unsafe = Metadata.of("unsafeMetadata", unsafeMetadata, json::write);
        return tx.inTransaction(() -> {
            UserMetadata stored = users.lockMetadata(caller.userId())
                    .orElseThrow(() -> new UnauthenticatedException("Sign in first."));
            UserMetadata next = stored.withUnsafe(unsafe);
            users.updateMetadata(caller.userId(), next);
            webhooks.userUpdated(caller.userId());
            return new AccountMetadata(next.publicMetadata(), next.unsafeMetadata());
        });
    }
}
