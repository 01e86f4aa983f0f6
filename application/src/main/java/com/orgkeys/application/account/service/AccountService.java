package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.AuthenticateSessionUseCase;
import com.orgkeys.application.account.port.in.GetCurrentUserUseCase;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.service.Roles;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.application.shared.ReadCoalescer;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Password;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import static com.orgkeys.domain.shared.Validation.collect;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Accounts and their sessions. */
public final class AccountService implements ManageSessionsUseCase, AuthenticateSessionUseCase, GetCurrentUserUseCase {
    private static final String WRONG_CREDENTIALS = "Wrong email or password.";

    private final UserRepository users;
    private final SessionRepository sessions;
    private final MembershipRepository memberships;
    private final OrganizationRepository organizations;
    private final Roles roles;
    private final PasswordHasher hasher;
    private final AccountThrottle throttle;
    private final EmailVerifications verifications;
    private final TwoFactorRepository twoFactors;
    private final AccountTokenRepository tokens;
    private final TransactionRunner tx;
    private final Clock clock;
    private final AccountWebhooks webhooks;
    /** Verified against when the email is unknown, so that both failures take the same time. */
    private final String timingDecoyHash;
    /** The many requests of one browser (or a script with its cookie) share the lookups of their session. */
    private final ReadCoalescer<String, Optional<SignedInAs>> signedInReads;

    public AccountService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                          OrganizationRepository organizations, Roles roles, PasswordHasher hasher, AccountThrottle throttle, EmailVerifications verifications,
                          TwoFactorRepository twoFactors, AccountTokenRepository tokens, TransactionRunner tx,
                          Clock clock) {
        this(users, sessions, memberships, organizations, roles, hasher, throttle, verifications, twoFactors, tokens, tx,
                clock, AccountWebhooks.NONE);
    }

    /** @param webhooks told of sign-ups, sign-ins, sign-outs and revoked sessions, in their transaction */
    public AccountService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                          OrganizationRepository organizations, Roles roles, PasswordHasher hasher, AccountThrottle throttle, EmailVerifications verifications,
                          TwoFactorRepository twoFactors, AccountTokenRepository tokens, TransactionRunner tx,
                          Clock clock, AccountWebhooks webhooks) {
        this.webhooks = webhooks;
        this.users = users;
        this.sessions = sessions;
        this.memberships = memberships;
        this.organizations = organizations;
        this.roles = roles;
        this.hasher = hasher;
        this.throttle = throttle;
        this.verifications = verifications;
        this.twoFactors = twoFactors;
        this.tokens = tokens;
        this.tx = tx;
        this.clock = clock;
        this.timingDecoyHash = hasher.hash(Password.choose("decoy-" + Secrets.newToken()));
        this.signedInReads = new ReadCoalescer<>(tx);
    }

    @Override
    public SignedIn signUp(SignUpCommand command) {
        List<FieldError> errors = new ArrayList<>();
        Email email = collect(errors, () -> Email.parse(command.email()));
        Password password = collect(errors, () -> Password.choose(command.password()));
        String name = collect(errors, () -> com.orgkeys.domain.shared.Text.singleLine("name", command.name(), 100));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        throttle.reserveSignUp(command.clientAddress()); // before the lookup: a 409 tells that an email is registered
        if (users.findByEmail(email).isPresent()) throw new ConflictException("This email is already registered.");
        User user = new User(UserId.random(), email, name, hasher.hash(password), clock.instant());
        return tx.inTransaction(() -> {
            users.insert(user);
            verifications.issue(user, user.createdAt()); // the mail exists if and only if the account does
            webhooks.userCreated(user.id());
            return openSession(user, command.userAgent(), command.clientAddress());
        });
    }

    /** The account events, for the sign-in services that finish here. */
    AccountWebhooks webhooks() {
        return webhooks;
    }

    /** Passwords longer than this cannot be stored (see {@link Password}), so none is checked. */
    static final int MAX_PASSWORD_CODE_POINTS = 256;

    @Override
    public SignInOutcome signIn(SignInCommand command) {
        String password = command.password() == null ? "" : command.password();
        Optional<Email> email = signInEmail(command.email(), password);
        // No account has a malformed email: the same answer as a wrong password, without a hash or a counter.
        if (email.isEmpty()) throw new UnauthenticatedException(WRONG_CREDENTIALS);
        try (AccountThrottle.SignInAttempt attempt = throttle.reserveSignIn(email.get(), command.clientAddress())) {
            Optional<User> user = users.findByEmail(email.get());
            boolean matches = hasher.verify(user.map(User::passwordHash).orElse(timingDecoyHash), password.toCharArray())
                    && user.isPresent();
            if (!matches) {
                attempt.failed();
                throw new UnauthenticatedException(WRONG_CREDENTIALS);
            }
            SignInOutcome outcome = tx.inTransaction(() -> sessionOrSecondFactor(user.get(), command.userAgent(),
                    command.clientAddress()));
            // a right password ends the account's failures only with a session; before the second factor, the
            // attempt is given back (closed without an outcome), so failed codes keep adding up across sign-ins
            if (outcome instanceof SignedIn) attempt.succeeded();
            return outcome;
        }
    }

    /**
     * The email to check, once both fields are within the sizes an account can have (422 otherwise: nothing
     * longer is hashed, counted or stored); empty when it is not an email address at all.
     */
    private static Optional<Email> signInEmail(String emailText, String password) {
        List<FieldError> errors = new ArrayList<>();
        if (emailText != null && emailText.strip().length() > Email.MAX_LENGTH) {
            errors.add(new FieldError("email", "must be at most " + Email.MAX_LENGTH + " characters"));
        }
        if (password.length() > 2 * MAX_PASSWORD_CODE_POINTS
                || password.codePointCount(0, password.length()) > MAX_PASSWORD_CODE_POINTS) {
            errors.add(new FieldError("password", "must be at most " + MAX_PASSWORD_CODE_POINTS + " characters"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        try {
            return Optional.of(new Email(emailText));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** The hash of a random password nobody is told: an account's password that no guess matches. */
    String unusablePasswordHash() {
        return hasher.hash(Password.choose(Secrets.newToken()));
    }

    /**
     * The first proof that {@code user} reads mail at their address came by a mailed link or code, not from the
     * session that signed up: whoever signed up may not be the owner (they could not verify, but they chose the
     * password). Their sessions end and the password stops working; the owner sets one with a password reset.
     * Call inside the sign-in's transaction, before its session opens.
     */
    void claimedByMail(User user, String unusablePasswordHash, Instant now) {
        webhooks.sessionsRevoked(sessions.revokeAll(user.id(), now), now);
        users.updatePasswordHash(user.id(), unusablePasswordHash);
    }

    /**
     * The end of every sign-in whose first factor was right (a password, a mailed link or code): a new session,
     * or, when {@code user} has two-factor sign-in, a {@link AccountTokenPurpose#SECOND_FACTOR} token (replacing any
     * earlier one) that {@link SecondFactorSignInService} turns into a session. Call inside a transaction.
     */
    SignInOutcome sessionOrSecondFactor(User user, String userAgent, String clientAddress) {
        TwoFactorRepository.Factors factors = twoFactors.factors(user.id());
        if (!factors.any()) {
            return openSession(user, userAgent, clientAddress);
        }
        String token = Secrets.newToken();
        Instant now = clock.instant();
        tokens.invalidate(user.id(), AccountTokenPurpose.SECOND_FACTOR, now);
        AccountToken pending = AccountToken.issue(user.id(), AccountTokenPurpose.SECOND_FACTOR, Secrets.sha256(token),
                Optional.empty(), user.email(), now);
        tokens.insert(pending);
        return new SecondFactorRequired(user, token, pending.expiresAt(), factors.authenticatorApp(), factors.passkey());
    }

    /**
     * A new session for {@code user}; call inside a transaction. Only after every factor the account has was
     * checked: a sign-in goes through {@link #sessionOrSecondFactor}; sign-up (no factor yet) and the second factor
     * itself come here.
     */
    SignedIn openSession(User user, String userAgent, String clientAddress) {
        String token = Secrets.newToken();
        Instant now = clock.instant();
        // Land in the user's first organization, so that organizations-only mode has an active one at once.
        Optional<OrganizationId> firstOrganization = memberships.listForUser(user.id()).stream()
                .findFirst().map(o -> o.organization().id());
        Session session = new Session(SessionId.random(), user.id(), Secrets.sha256(token), firstOrganization, now, now,
                userAgent, clientAddress, Optional.empty());
        sessions.insert(session);
        webhooks.sessionCreated(session, now);
        return new SignedIn(user, token);
    }

    @Override
    public void signOut(UserCaller caller) {
        tx.inTransaction(() -> {
            Instant now = clock.instant();
            if (sessions.revoke(caller.userId(), caller.sessionId(), now)) webhooks.sessionEnded(caller.sessionId(), now);
        });
    }

    @Override
    public Optional<UserCaller> authenticate(String sessionToken, String clientAddress) {
        if (sessionToken == null || sessionToken.isEmpty() || sessionToken.length() > 100) return Optional.empty();
        String tokenHash = Secrets.sha256(sessionToken);
        Optional<SignedInAs> found = signedInReads.read(tokenHash, () -> signedInAs(tokenHash));
        Instant now = clock.instant();
        if (found.isEmpty() || !found.get().session().isActiveAt(now)) return Optional.empty();
        Session session = found.get().session();
        if (session.needsTouch(now)) sessions.touch(session.id(), now);
        Optional<Membership> membership = found.get().membership();
        return Optional.of(new UserCaller(session.userId(), session.id(), membership.map(Membership::organizationId),
                membership.map(Membership::role), found.get().permissions(), clientAddress,
                found.get().secondFactorMissing()));
    }

    /**
     * A session with its membership in the active organization and that role's permissions, and whether that
     * organization requires a second factor the user has not enabled, all as stored now (read on every request, so
     * a policy or factor changed on another node counts on the next request here).
     */
    private record SignedInAs(Session session, Optional<Membership> membership, Set<Permission> permissions,
                              boolean secondFactorMissing) {
    }

    private Optional<SignedInAs> signedInAs(String tokenHash) {
        return sessions.findByTokenHash(tokenHash).map(session -> {
            Optional<Membership> membership = session.activeOrganization()
                    .flatMap(org -> memberships.find(org, session.userId()));
            Set<Permission> permissions = membership
                    .map(m -> roles.permissions(m.organizationId(), m.role())).orElse(Set.of());
            boolean secondFactorMissing = membership
                    .flatMap(m -> organizations.findById(m.organizationId()))
                    .filter(Organization::twoFactorRequired)
                    .isPresent() && !twoFactors.factors(session.userId()).any();
            return new SignedInAs(session, membership, permissions, secondFactorMissing);
        });
    }

    @Override
    public List<Session> listSessions(UserCaller caller) {
        return sessions.listActive(caller.userId(), clock.instant());
    }

    @Override
    public void revokeSession(UserCaller caller, SessionId sessionId) {
        tx.inTransaction(() -> {
            Instant now = clock.instant();
            if (!sessions.revoke(caller.userId(), sessionId, now)) {
                throw new NotFoundException("No session " + sessionId + ".");
            }
            webhooks.sessionRevoked(sessionId, now);
        });
    }

    @Override
    public CurrentUser currentUser(UserCaller caller) {
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Account no longer exists."));
        List<OrganizationWithRole> organizations = memberships.listForUser(user.id()).stream()
                .map(o -> new OrganizationWithRole(o.organization(), o.role(),
                        roles.permissions(o.organization().id(), o.role())))
                .toList();
        return new CurrentUser(user, caller.organizationId(), organizations);
    }

}
