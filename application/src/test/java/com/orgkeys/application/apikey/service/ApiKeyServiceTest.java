package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ApiKeyWithStatus;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ListApiKeysQuery;
import com.orgkeys.application.apikey.port.out.ApiKeyRepository.Filter;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.organization.service.OrganizationService;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeySecret;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.EmailNotVerifiedException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyServiceTest {
    private final TestApplication app = new TestApplication();
    private final CountingApiKeyRepository keys = new CountingApiKeyRepository(app.apiKeyRepository);
    private final ApiKeyService service = new ApiKeyService(keys, new ApiKeyUsage(keys, app.apiKeyUsageRepository), app.grants, app.verifiedEmails, app.audit, app.tx, app.clock);
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
    }

    @Test
    public void the_secret_of_a_new_key_parses_and_authenticates_as_the_key_with_its_scopes() {
        CreatedApiKey created = create("Deploy", Optional.of(List.of("org:agents:read")), Optional.empty());

        assertTrue(ApiKeySecret.SCANNER_REGEX.matcher(created.secret()).matches());
        ApiKeySecret secret = ApiKeySecret.parse(created.secret()).orElseThrow();
        ApiKey stored = app.apiKeyRepository.find(acme.id(), created.key().id()).orElseThrow();
        assertEquals(secret.hash(), stored.secretHash());
        assertEquals(secret.hint(), stored.hint());

        ApiKeyCaller caller = service.authenticate(created.secret(), ADDRESS).orElseThrow();
        assertEquals(new ApiKeyCaller(stored.id().value(), acme.id(), Set.of(Permission.AGENTS_READ), ADDRESS), caller);
    }

    @Test
    public void a_user_whose_email_is_not_verified_creates_no_key_until_they_verify_it() {
        SignedIn bob = app.signUpUnverified("Bob");
        app.organization("Bob's", bob); // an organization of their own they may create
        var command = new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty(), Optional.of("nonce"));
        Object before = app.contents();

        var refused = assertThrows(EmailNotVerifiedException.class, () -> service.createApiKey(app.callerOf(bob), command));

        assertTrue(refused.getMessage().contains("bob@example.com"), refused.getMessage());
        assertEquals(before, app.contents(), "nothing written, the request id not used up");
        app.verifyEmail(bob);
        assertEquals(ApiKeyStatus.ACTIVE, service.createApiKey(app.callerOf(bob), command).status());
    }

    @Test
    public void with_a_lookup_cache_a_key_in_use_is_recorded_once_per_interval_and_again_when_a_use_was_not_taken() {
        ApiKeyUsage usage = new ApiKeyUsage(keys, app.apiKeyUsageRepository, 2);
        ApiKeyService cached = new ApiKeyService(keys, usage, app.grants, app.verifiedEmails, app.audit, app.tx, app.clock, 1_000);
        cached.feedRestored();
        CreatedApiKey busy = create("Busy", Optional.empty(), Optional.empty());
        Instant first = app.clock.instant();
        for (int i = 0; i < 10; i++) cached.authenticate(busy.secret(), ADDRESS).orElseThrow();
        usage.flush();
        assertEquals(Optional.of(first), lastUsedAt(busy));
        app.clock.advance(Duration.ofSeconds(1));
        cached.authenticate(busy.secret(), ADDRESS).orElseThrow();
        usage.flush();
        assertEquals(Optional.of(first), lastUsedAt(busy), "recorded a moment ago: not again within the interval");
        app.clock.advance(RecentKeyLookups.USE_RECORDING_INTERVAL);
        cached.authenticate(busy.secret(), ADDRESS).orElseThrow();
        usage.flush();
        assertEquals(Optional.of(app.clock.instant()), lastUsedAt(busy), "an interval later");

        CreatedApiKey other = create("Other", Optional.empty(), Optional.empty());
        cached.authenticate(busy.secret(), ADDRESS).orElseThrow(); // counted: one (key, day) entry waits
        usage.record(ApiKeyId.random(), app.clock.instant()); // the pending table (2) is full now
        cached.authenticate(other.secret(), ADDRESS).orElseThrow(); // its use is not taken
        assertEquals(1, usage.takeDropped());
        usage.flush();
        assertEquals(Optional.empty(), lastUsedAt(other));
        cached.authenticate(other.secret(), ADDRESS).orElseThrow();
        usage.flush();
        assertEquals(Optional.of(app.clock.instant()), lastUsedAt(other), "the use not taken is recorded at the next one");
    }

    private Optional<Instant> lastUsedAt(CreatedApiKey key) {
        return app.apiKeyRepository.find(acme.id(), key.key().id()).orElseThrow().lastUsedAt();
    }

    @Test
    public void a_secret_with_a_bad_checksum_is_rejected_without_asking_the_repository() {
        String secret = create("Deploy", Optional.empty(), Optional.empty()).secret();
        char last = secret.charAt(secret.length() - 1);
        String typo = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');

        assertEquals(Optional.empty(), service.authenticate(typo, ADDRESS));
        assertEquals(Optional.empty(), service.authenticate("ok_short", ADDRESS));
        assertEquals(0, keys.findByHashCalls.get());

        assertTrue(service.authenticate(secret, ADDRESS).isPresent());
        assertEquals(1, keys.findByHashCalls.get());
    }

    @Test
    public void with_a_lookup_cache_repeated_use_asks_the_repository_once_and_a_revocation_here_is_seen_at_once() {
        ApiKeyService cached = app.apiKeyNode(keys);
        cached.feedRestored();
        CreatedApiKey created = create("Busy", Optional.empty(), Optional.empty());
        for (int i = 0; i < 100; i++) assertTrue(cached.authenticate(created.secret(), ADDRESS).isPresent());
        assertEquals(1, keys.findByHashCalls.get());

        cached.revokeApiKey(app.callerOf(alice), created.key().id(), Optional.empty());

        assertEquals(Optional.empty(), cached.authenticate(created.secret(), ADDRESS));
    }

    @Test
    public void with_a_lookup_cache_the_keys_of_an_organization_deleted_here_are_rejected_at_once() {
        ApiKeyService cached = app.apiKeyNode(keys);
        cached.feedRestored();
        OrganizationService organizations = new OrganizationService(app.organizations, app.memberships, app.grants, app.sessions,
                app.twoFactors, app.users, com.orgkeys.application.testing.FakeMetadataJson.INSTANCE, app.audit, app.tx, app.clock, cached);
        CreatedApiKey created = create("Busy", Optional.empty(), Optional.empty());
        assertTrue(cached.authenticate(created.secret(), ADDRESS).isPresent());

        organizations.deleteOrganization(app.callerOf(alice));

        // no NOTIFY from the database in between: this process evicts on commit, as a revocation does
        assertEquals(Optional.empty(), cached.authenticate(created.secret(), ADDRESS));
    }

    @Test
    public void nothing_is_cached_while_the_revocation_feed_is_down_and_a_revocation_elsewhere_evicts() {
        ApiKeyService cached = app.apiKeyNode(keys);
        CreatedApiKey created = create("Busy", Optional.empty(), Optional.empty());
        cached.authenticate(created.secret(), ADDRESS);
        cached.authenticate(created.secret(), ADDRESS);
        assertEquals(2, keys.findByHashCalls.get(), "no feed yet: every verification asks the repository");

        cached.feedRestored();
        cached.authenticate(created.secret(), ADDRESS);
        cached.authenticate(created.secret(), ADDRESS);
        assertEquals(3, keys.findByHashCalls.get());

        // another process revoked it: the repository says so, and the feed tells us
        service.revokeApiKey(app.callerOf(alice), created.key().id(), Optional.empty());
        cached.keyRevoked(ApiKeySecret.parse(created.secret()).orElseThrow().hash());
        assertEquals(Optional.empty(), cached.authenticate(created.secret(), ADDRESS));

        cached.feedInterrupted();
        cached.authenticate(created.secret(), ADDRESS);
        cached.authenticate(created.secret(), ADDRESS);
        assertEquals(6, keys.findByHashCalls.get());
    }

    @Test
    public void a_well_formed_secret_of_no_key_is_rejected() {
        assertEquals(Optional.empty(), service.authenticate(ApiKeySecret.generate().reveal(), ADDRESS));
        assertEquals(1, keys.findByHashCalls.get());
    }

    @Test
    public void revoked_key_is_rejected_on_the_next_request() {
        CreatedApiKey created = create("Deploy", Optional.empty(), Optional.empty());
        assertTrue(service.authenticate(created.secret(), ADDRESS).isPresent());

        service.revokeApiKey(admin(), created.key().id(), Optional.of("leaked"));

        assertEquals(Optional.empty(), service.authenticate(created.secret(), ADDRESS));
    }

    @Test
    public void key_is_rejected_from_the_moment_it_expires() {
        CreatedApiKey created = create("Deploy", Optional.empty(), Optional.of(Duration.ofHours(1)));

        app.clock.advance(Duration.ofSeconds(3599));
        assertTrue(service.authenticate(created.secret(), ADDRESS).isPresent());

        app.clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), service.authenticate(created.secret(), ADDRESS));
        assertEquals(ApiKeyStatus.EXPIRED, service.getApiKey(admin(), created.key().id()).status());
    }

    @Test
    public void scopes_the_creator_does_not_hold_are_refused_naming_them() {
        UserCaller keymaster = keymaster();

        var e = assertThrows(ForbiddenException.class, () -> service.createApiKey(keymaster,
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read", "org:agents:manage")),
                        Optional.empty())));

        assertEquals("You cannot grant org:agents:manage: you do not hold it.", e.getMessage());
        assertEquals(0, app.apiKeyRepository.page(acme.id(), new Filter(null, null, app.clock.instant()),
                PageRequest.first(10)).totalCount());
    }

    @Test
    public void a_scope_its_creator_lost_since_signing_in_is_refused() {
        UserCaller keymaster = keymaster();
        app.roleService.updateRole(admin(), "org:keymaster", new UpdateRoleCommand(Optional.empty(),
                Optional.of(List.of("org:sys_api_keys:manage"))));

        assertThrows(ForbiddenException.class, () -> service.createApiKey(keymaster,
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")), Optional.empty())));

        assertEquals(0, app.apiKeyRepository.page(acme.id(), new Filter(null, null, app.clock.instant()),
                PageRequest.first(10)).totalCount());
    }

    @Test
    public void without_named_scopes_a_key_gets_the_default_scopes_the_creator_holds() {
        CreatedApiKey created = service.createApiKey(keymaster(),
                new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty()));

        assertEquals(Set.of(Permission.AGENTS_READ), created.key().scopes());
    }

    /** Keys belong to the organization (as in Clerk): what their creator holds later does not change them. */
    @Test
    public void a_key_keeps_its_scopes_when_its_creator_is_demoted_or_removed() {
        UserCaller keymaster = keymaster();
        CreatedApiKey created = service.createApiKey(keymaster,
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")), Optional.empty()));
        app.membershipService.changeRole(admin(), keymaster.userId(), "org:member");
        app.membershipService.removeMember(admin(), keymaster.userId());

        ApiKeyCaller key = service.authenticate(created.secret(), ADDRESS).orElseThrow();

        assertEquals(Set.of(Permission.AGENTS_READ), key.permissions());
    }

    @Test
    public void revoking_twice_keeps_the_first_time_and_reason() {
        CreatedApiKey created = create("Deploy", Optional.empty(), Optional.empty());
        Instant firstRevocation = app.clock.instant();
        service.revokeApiKey(admin(), created.key().id(), Optional.of("leaked in a log"));
        app.clock.advance(Duration.ofMinutes(5));

        ApiKeyWithStatus again = service.revokeApiKey(admin(), created.key().id(), Optional.of("second thoughts"));

        assertEquals(Optional.of(firstRevocation), again.key().revokedAt());
        assertEquals(Optional.of("leaked in a log"), again.key().revocationReason());
        ApiKey stored = app.apiKeyRepository.find(acme.id(), created.key().id()).orElseThrow();
        assertEquals(Optional.of("leaked in a log"), stored.revocationReason());
        assertEquals(Optional.of(firstRevocation), stored.revokedAt());
        app.auditEvent(acme, "api_key.revoked"); // exactly one
    }

    private CreatedApiKey create(String name, Optional<List<String>> scopes, Optional<Duration> lifetime) {
        return service.createApiKey(admin(), new CreateApiKeyCommand(name, "", scopes, lifetime));
    }

    @Test
    public void a_list_of_more_scopes_than_permissions_exist_is_refused_at_once_naming_the_field() {
        var e = assertThrows(InvalidInputException.class, () -> service.createApiKey(admin(), new CreateApiKeyCommand(
                "Deploy", "", Optional.of(java.util.Collections.nCopies(100_000, "a")), Optional.empty())));

        assertEquals(List.of(new FieldError("scopes", "must list at most " + Permission.ALL.size() + " scopes")), e.errors());
        assertEquals(0, app.apiKeyRepository.page(acme.id(), new Filter(null, null, app.clock.instant()),
                PageRequest.first(10)).totalCount());
    }

    @Test
    public void the_service_names_its_own_fields_lifetime_and_text() {
        var lifetime = assertThrows(InvalidInputException.class,
                () -> create("Deploy", Optional.empty(), Optional.of(ApiKey.MAX_LIFETIME.plusSeconds(1))));
        var text = assertThrows(InvalidInputException.class, () -> service.listApiKeys(admin(),
                new ListApiKeysQuery("a\u0000b", Optional.empty(), PageRequest.first(10))));

        assertEquals(List.of(new FieldError("lifetime", "must be 1–315619200 (10 years)")), lifetime.errors());
        assertEquals(List.of(new FieldError("text", "must not contain control characters")), text.errors());
    }

    @Test
    public void one_request_id_makes_one_key_per_caller_and_a_repeat_is_a_conflict() {
        var command = new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty(), Optional.of("form-1"));
        service.createApiKey(admin(), command);
        assertThrows(ConflictException.class, () -> service.createApiKey(admin(), command));
        service.createApiKey(keymaster(), command); // another caller's request, though it has the same id
        service.createApiKey(admin(), new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty(),
                Optional.of("form-2")));
        var tooLong = new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty(), Optional.of("x".repeat(256)));
        assertEquals("requestId", assertThrows(InvalidInputException.class,
                () -> service.createApiKey(admin(), tooLong)).errors().getFirst().field());

        assertEquals(3, app.apiKeyRepository.page(acme.id(), new Filter(null, null, app.clock.instant()),
                PageRequest.first(10)).totalCount());
        assertEquals(3, app.auditLog.page(acme.id(), PageRequest.first(50)).data().stream()
                .filter(e -> e.action().equals("api_key.created")).count(), "the refused repeat left no event");
    }

    private UserCaller admin() {
        return app.callerOf(alice);
    }

    /** A member who may manage API keys and read agents, but not manage agents. */
    private UserCaller keymaster() {
        app.roleService.createRole(admin(), new CreateRoleCommand("org:keymaster", "Key master",
                List.of("org:sys_api_keys:manage", "org:agents:read")));
        return app.callerOf(app.member(acme, "Bob", new RoleKey("org:keymaster")));
    }
}
