package com.orgkeys.application.testing;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignUpCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.service.AccountService;
import com.orgkeys.application.account.service.AccountSettingsService;
import com.orgkeys.application.account.service.EmailSignInService;
import com.orgkeys.application.account.service.EmailChangeService;
import com.orgkeys.application.account.service.EmailVerificationService;
import com.orgkeys.application.account.service.EmailVerifications;
import com.orgkeys.application.account.service.PasswordResetService;
import com.orgkeys.application.account.service.PasskeySignInService;
import com.orgkeys.application.account.service.SecondFactorSignInService;
import com.orgkeys.application.passkey.service.PasskeyService;
import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.twofactor.service.TotpSecretCipher;
import com.orgkeys.application.twofactor.service.TwoFactorNotices;
import com.orgkeys.application.twofactor.service.TwoFactorService;
import com.orgkeys.application.account.service.VerifiedEmails;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase.VerifyEmailCommand;
import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.agent.service.AgentService;
import com.orgkeys.application.webhook.service.WebhookEventRecorder;
import com.orgkeys.application.webhook.service.WebhookService;
import com.orgkeys.application.apikey.service.ApiKeyService;
import com.orgkeys.application.account.service.AccountWebhooks;
import com.orgkeys.application.apikey.service.OwnedApiKeys;
import com.orgkeys.application.apikey.service.ApiKeyUsage;
import com.orgkeys.application.apikey.service.ApiKeyUsageService;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.invitation.service.InvitationService;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.membership.service.MembershipService;
import com.orgkeys.application.membership.service.RoleService;
import com.orgkeys.application.membership.service.Roles;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.CreateOrganizationCommand;
import com.orgkeys.application.organization.service.OrganizationService;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.outbox.service.OutboxService;
import com.orgkeys.application.outbox.service.RetryPolicy;
import java.util.Set;

/**
 * The services wired as bootstrap wires them, over the in-memory fakes, a {@link MutableClock}, the fake
 * hasher and a recording mailer; plus shortcuts to the state most service tests start from.
 */
public final class TestApplication {
    public static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    public static final String PASSWORD = "a long enough test password";
    public static final String ADDRESS = "203.0.113.9";
    public static final URI ORIGIN = URI.create("https://orgkeys.test");

    public final MutableClock clock = new MutableClock(START);
    public final InMemoryStore store = new InMemoryStore();
    public final InMemoryUserRepository users = new InMemoryUserRepository(store);
    public final InMemorySessionRepository sessions = new InMemorySessionRepository(store);
    public final InMemoryOrganizationRepository organizations = new InMemoryOrganizationRepository(store);
    public final InMemoryMembershipRepository memberships = new InMemoryMembershipRepository(store);
    public final InMemoryRoleRepository roleRepository = new InMemoryRoleRepository(store);
    public final InMemoryInvitationRepository invitations = new InMemoryInvitationRepository(store);
    public final InMemoryAuditLog auditLog = new InMemoryAuditLog(store);
    public final InMemoryApiKeyRepository apiKeyRepository = new InMemoryApiKeyRepository(store);
    public final InMemoryAgentRepository agentRepository = new InMemoryAgentRepository(store);
    public final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(store);
    public final RecordingMailer mailer = new RecordingMailer();
    public final InMemoryOutboxRepository outbox = new InMemoryOutboxRepository(store);
    public final MailOutbox mails = new MailOutbox(outbox, mailer, clock);
    public final OutboxService outboxService = new OutboxService(outbox, tx, clock, List.of(mails),
            RetryPolicy.DEFAULT, OutboxService.BATCH_SIZE, new InMemoryJobLock(), Duration.ofDays(30));

    public final Roles roles = new Roles(roleRepository);
    public final Audit audit = new Audit(auditLog, clock);
    public final AccountThrottleStore throttleStore;
    public final SharedAccountThrottle throttle;
    public final FakePasswordHasher hasher = new FakePasswordHasher();
    public final AccountService accounts;
    public final InMemoryApiKeyUsageRepository apiKeyUsageRepository = new InMemoryApiKeyUsageRepository(store);
    public final ApiKeyUsage apiKeyUsage = new ApiKeyUsage(apiKeyRepository, apiKeyUsageRepository);
    public final Grants grants = new Grants(memberships, roles, organizations);
    public final InMemoryWebhookEndpointRepository webhookEndpoints = new InMemoryWebhookEndpointRepository(store);
    public final InMemoryWebhookDeliveryRepository webhookDeliveries = new InMemoryWebhookDeliveryRepository(store);
    public final WebhookEventRecorder webhookEvents = new WebhookEventRecorder(webhookEndpoints, webhookDeliveries,
            FakeMetadataJson.INSTANCE, tx, clock);
    /** user.* and session.* events, to instance-level endpoints */
    public final AccountWebhooks accountWebhooks = new AccountWebhooks(webhookEvents, users, sessions);
    public final VerifiedEmails verifiedEmails = new VerifiedEmails(users);
    public final ApiKeyService apiKeys = new ApiKeyService(apiKeyRepository, apiKeyUsage, grants, verifiedEmails, audit,
            tx, clock);
    public final ApiKeyUsageService apiKeyUsageService = new ApiKeyUsageService(apiKeys, apiKeyUsageRepository, auditLog, tx, clock);
    public final InMemoryTwoFactorRepository twoFactors = new InMemoryTwoFactorRepository(store);
    public final OwnedApiKeys ownedApiKeys = new OwnedApiKeys(apiKeyRepository, audit, clock, apiKeys,
            webhookEvents);
    public final OrganizationService organizationService = new OrganizationService(organizations, memberships,
            grants, sessions, twoFactors, users, FakeMetadataJson.INSTANCE, audit, tx, clock, apiKeys, webhookEvents,
            ownedApiKeys);
    public final MembershipService membershipService = new MembershipService(memberships, users, roles, grants, audit,
            tx, clock, ownedApiKeys, organizations, webhookEvents);
    public final RoleService roleService = new RoleService(roleRepository, memberships, grants, audit, tx, clock,
            ownedApiKeys);
    public final InvitationService invitationService = new InvitationService(invitations, memberships, organizations,
            users, sessions, roles, grants, mails, audit, tx, clock, ORIGIN, webhookEvents);
    public final AgentService agents = new AgentService(agentRepository, grants, tx, clock);
    public final FakeWebhookSender webhookSender = new FakeWebhookSender();
    public final WebhookService webhooks;
    public final InMemoryAccountTokenRepository accountTokens = new InMemoryAccountTokenRepository(store);
    public final EmailVerifications emailVerifications = new EmailVerifications(accountTokens, mails, ORIGIN);
    public final InMemoryServerSecrets serverSecretStore = new InMemoryServerSecrets();
    public final ServerSecretService serverSecrets = new ServerSecretService(serverSecretStore, tx, clock);
    public final TotpSecretCipher totpCipher = new TotpSecretCipher(serverSecrets, new FakeSecretCipher());
    public final TwoFactorNotices twoFactorNotices = new TwoFactorNotices(memberships, mails, audit, ownedApiKeys, tx);
    public final PasswordResetService passwordReset;
    public final EmailVerificationService emailVerification;
    public final AccountSettingsService accountSettings;
    public final EmailSignInService emailSignIn;
    public final EmailChangeService emailChange;
    public final TwoFactorService twoFactor;
    public final SecondFactorSignInService secondFactor;
    public final InMemoryPasskeyRepository passkeyRepository = new InMemoryPasskeyRepository(store);
    public final FakeWebAuthn webAuthn = new FakeWebAuthn();
    public final PasskeyService passkeys;
    public final PasskeySignInService passkeySignIn;

    public TestApplication() {
        this(new InMemoryAccountThrottleStore());
    }

    /** With the sign-in and sign-up limits kept in {@code throttleStore} (the JDBC one, in its contract test). */
    public TestApplication(AccountThrottleStore throttleStore) {
        this.throttleStore = throttleStore;
        throttle = new SharedAccountThrottle(throttleStore, clock);
        webhooks = new WebhookService(webhookEndpoints, webhookDeliveries, webhookEvents, webhookSender, grants, throttle,
                audit, tx, clock);
        accounts = new AccountService(users, sessions, memberships, organizations, roles, hasher, throttle, emailVerifications,
                twoFactors, accountTokens, tx, clock, accountWebhooks);
        accountSettings = new AccountSettingsService(users, sessions, memberships, hasher, throttle, mails, audit, tx,
                clock, accountWebhooks);
        emailChange = new EmailChangeService(users, memberships, accountTokens, hasher, throttle, mails, audit, tx, clock,
                ORIGIN, accountWebhooks);
        emailVerification = new EmailVerificationService(users, accountTokens, emailVerifications, throttle, tx, clock,
                accountWebhooks);
        passwordReset = new PasswordResetService(users, sessions, memberships, accountTokens, hasher, throttle, mails,
                audit, tx, clock, ORIGIN, accountWebhooks);
        emailSignIn = new EmailSignInService(users, accountTokens, accounts, throttle, mails, tx, clock, ORIGIN);
        twoFactor = new TwoFactorService(users, sessions, twoFactors, totpCipher, twoFactorNotices, hasher, throttle, tx, clock,
                accountWebhooks);
        secondFactor = new SecondFactorSignInService(users, accountTokens, twoFactors, totpCipher, twoFactorNotices,
                accounts, throttle, tx, clock);
        passkeys = new PasskeyService(users, passkeyRepository, twoFactors, webAuthn, twoFactorNotices, hasher, throttle, tx, clock);
        passkeySignIn = new PasskeySignInService(users, accountTokens, passkeyRepository, webAuthn, accounts, throttle,
                tx, clock);
    }

    /**
     * The one audit event of the organization with {@code action}. (The clock stands still, so events of one
     * test often share an instant and "newest first" does not tell them apart.)
     */
    public AuditEvent auditEvent(Organization organization, String action) {
        List<AuditEvent> found = auditLog.all(organization.id()).stream().filter(e -> e.action().equals(action)).toList();
        if (found.size() != 1) throw new AssertionError("expected one " + action + " event, got " + found);
        return found.getFirst();
    }

    /** How many passkey ceremonies are stored (their rows, bounded by the limits on starting them). */
    public int passkeyCeremonies() {
        return store.read(() -> store.passkeyCeremonies().size());
    }

    /** Delivers every mail due now, as the outbox worker would; the mails are then in {@link #mailer}. */
    public void deliverMail() {
        while (outboxService.deliverDue().sent() == OutboxService.BATCH_SIZE) {
            // a full batch: there may be more
        }
    }

    /**
     * A new account, signed in (no organization yet), its email verified as its owner would: with the code of the
     * verification mail that the sign-up queued.
     */
    public SignedIn signUp(String name) {
        return verifyEmail(signUpUnverified(name));
    }

    /** Verifies the user's email with the code of the newest verification mail to them, as queued in the outbox. */
    public SignedIn verifyEmail(SignedIn signedIn) {
        String code = outbox.all().stream().map(m -> m.payload())
                .filter(p -> "email_verification".equals(p.get("type")) && signedIn.user().email().value().equals(p.get("to")))
                .map(p -> p.get("code")).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no verification mail to " + signedIn.user().email()));
        emailVerification.verifyEmail(callerOf(signedIn), new VerifyEmailCommand(null, code));
        return new SignedIn(users.findById(signedIn.user().id()).orElseThrow(), signedIn.sessionToken());
    }

    /** A new account, signed in, that has not verified its email: it may not accept invitations or create keys. */
    public SignedIn signUpUnverified(String name) {
        return accounts.signUp(new SignUpCommand(name.toLowerCase() + "@example.com", PASSWORD, name, "JUnit", ADDRESS));
    }

    /** The caller of a session, as the HTTP adapter would see it now. */
    public UserCaller callerOf(SignedIn signedIn) {
        return accounts.authenticate(signedIn.sessionToken(), ADDRESS).orElseThrow();
    }

    /** A new organization created by {@code admin}, who becomes its admin with it active. */
    public Organization organization(String name, SignedIn admin) {
        return organizationService.createOrganization(callerOf(admin), new CreateOrganizationCommand(name, Optional.empty()));
    }

    /** Signs {@code name} up and makes them a member of {@code organization} with {@code role}, active there. */
    public SignedIn member(Organization organization, String name, RoleKey role) {
        SignedIn signedIn = signUp(name);
        memberships.insert(new Membership(organization.id(), signedIn.user().id(), role, clock.instant()));
        sessions.setActiveOrganization(callerOf(signedIn).sessionId(), Optional.of(organization.id()));
        return signedIn;
    }

    /** A custom role of {@code organization}, stored directly (no caller, no audit). */
    public Role role(Organization organization, String key, Set<Permission> permissions) {
        Role role = Role.custom(new RoleKey(key), key.substring("org:".length()), permissions, clock.instant());
        roleRepository.insert(organization.id(), role);
        return role;
    }

    /** A copy of every table, equal to another copy exactly when nothing was written in between. */
    public Object contents() {
        return store.snapshot();
    }

    /** Runs {@code action}, then puts every table back as it was: many scenarios over one costly setup. */
    public void undoing(Runnable action) {
        Object before = store.snapshot();
        try {
            action.run();
        } finally {
            store.restore(before);
        }
    }

    /**
     * Another node's key service over the same store, reading keys through {@code keys} (the shared repository, or a
     * wrapper counting its calls), with its own usage counts and a lookup cache of 1,000 keys, which is trusted once
     * the test calls {@code feedRestored()}.
     */
    public ApiKeyService apiKeyNode(com.orgkeys.application.apikey.port.out.ApiKeyRepository keys) {
        return new ApiKeyService(keys, new ApiKeyUsage(keys, apiKeyUsageRepository), grants, verifiedEmails, audit, tx,
                clock, 1_000);
    }

    /** An enabled endpoint for every event type, of {@code organization} (empty: instance-level), stored as is. */
    public com.orgkeys.domain.webhook.WebhookEndpoint webhookEndpoint(Optional<com.orgkeys.domain.organization.OrganizationId> organization) {
        var endpoint = com.orgkeys.domain.webhook.WebhookEndpoint.create(organization,
                com.orgkeys.domain.webhook.WebhookUrl.parse("https://hooks.example.com/in"), "",
                com.orgkeys.domain.webhook.EventFilter.ALL, clock.instant());
        webhookEndpoints.add(endpoint);
        return endpoint;
    }

    /** The messages sent to {@code endpoint}, in the order they were recorded. */
    public List<com.orgkeys.application.webhook.port.out.WebhookMessage> webhookMessagesTo(com.orgkeys.domain.webhook.WebhookEndpointId endpoint) {
        return webhookDeliveries.deliveries().stream().filter(d -> d.endpointId().equals(endpoint))
                .map(com.orgkeys.application.webhook.port.out.WebhookDelivery::messageId)
                .map(id -> webhookDeliveries.findMessage(id).orElseThrow()).toList();
    }
}
