package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ApiKeyWithStatus;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.EditApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ListApiKeysQuery;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeySecret;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Editing, disabling, enabling and deleting API keys (issue 25), with the lookup cache on as in production. */
class ApiKeyEditServiceTest {
    private final TestApplication app = new TestApplication();
    private final CountingApiKeyRepository keys = new CountingApiKeyRepository(app.apiKeyRepository);
    private final ApiKeyService service = app.apiKeyNode(keys);
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        service.feedRestored(); // the cache trusted: each change must evict it, or the next request sees the old key
    }

    @Test
    public void an_edit_is_seen_by_the_next_request_and_audited_old_to_new() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        assertEquals(Set.of(Permission.AGENTS_READ), service.authenticate(key.secret(), ADDRESS).orElseThrow().permissions());

        ApiKeyWithStatus edited = service.editApiKey(admin(), key.key().id(), new EditApiKeyCommand(Optional.of("Renamed"),
                Optional.of("for CI"), Optional.of(List.of("org:agents:read", "org:agents:manage"))));

        assertEquals("Renamed", edited.key().name());
        assertEquals(app.clock.instant(), edited.key().updatedAt());
        assertEquals(Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE),
                service.authenticate(key.secret(), ADDRESS).orElseThrow().permissions());
        assertEquals("name=Deploy → Renamed description=\"\" → \"for CI\" scopes=org:agents:read → "
                + "org:agents:read,org:agents:manage", app.auditEvent(acme, "api_key.updated").details());
    }

    @Test
    public void an_edit_that_changes_nothing_writes_nothing() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        Object before = app.contents();

        service.editApiKey(admin(), key.key().id(), new EditApiKeyCommand(Optional.of("Deploy"), Optional.empty(),
                Optional.of(List.of("org:agents:read"))));

        assertEquals(before, app.contents());
    }

    @Test
    public void a_member_cannot_add_a_scope_they_lack_but_may_rename_or_narrow_a_key_that_has_one() {
        CreatedApiKey key = create(List.of("org:agents:read", "org:agents:manage"));
        CreatedApiKey narrow = create(List.of("org:agents:read"));
        UserCaller keymaster = keymaster(); // holds org:agents:read, not org:agents:manage
        Object before = app.contents();

        var refused = assertThrows(ForbiddenException.class, () -> service.editApiKey(keymaster, narrow.key().id(),
                new EditApiKeyCommand(Optional.empty(), Optional.empty(),
                        Optional.of(List.of("org:agents:read", "org:agents:manage")))));

        assertEquals("You cannot grant org:agents:manage: you do not hold it.", refused.getMessage());
        assertEquals(before, app.contents());
        assertEquals("Renamed", service.editApiKey(keymaster, key.key().id(), new EditApiKeyCommand(Optional.of("Renamed"),
                Optional.empty(), Optional.empty())).key().name());
        assertEquals(Set.of(Permission.AGENTS_READ), service.editApiKey(keymaster, key.key().id(), new EditApiKeyCommand(
                Optional.empty(), Optional.empty(), Optional.of(List.of("org:agents:read")))).key().scopes());
        // and the scope it took away it cannot give back
        assertThrows(ForbiddenException.class, () -> service.editApiKey(keymaster, key.key().id(), new EditApiKeyCommand(
                Optional.empty(), Optional.empty(), Optional.of(List.of("org:agents:read", "org:agents:manage")))));
    }

    @Test
    public void invalid_settings_are_refused_field_by_field_and_change_nothing() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        Object before = app.contents();

        var e = assertThrows(InvalidInputException.class, () -> service.editApiKey(admin(), key.key().id(),
                new EditApiKeyCommand(Optional.of(" "), Optional.of("a\u0000b"), Optional.of(List.of("org:sys_memberships:manage", "nope")))));

        assertEquals(List.of("name", "description", "scopes", "scopes"), e.errors().stream().map(FieldError::field).toList());
        assertEquals(before, app.contents());
    }

    @Test
    public void a_disabled_key_is_refused_until_enabled_and_shows_as_disabled() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent()); // cached now

        ApiKeyWithStatus disabled = service.disableApiKey(admin(), key.key().id());

        assertEquals(ApiKeyStatus.DISABLED, disabled.status());
        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS));
        assertEquals(List.of(key.key().id()), service.listApiKeys(admin(), new ListApiKeysQuery(null,
                Optional.of(ApiKeyStatus.DISABLED), PageRequest.first(10))).data().stream().map(k -> k.key().id()).toList());
        assertEquals(0, service.listApiKeys(admin(), new ListApiKeysQuery(null, Optional.of(ApiKeyStatus.ACTIVE),
                PageRequest.first(10))).totalCount());

        assertEquals(ApiKeyStatus.ACTIVE, service.enableApiKey(admin(), key.key().id()).status());
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());
        app.auditEvent(acme, "api_key.disabled");
        app.auditEvent(acme, "api_key.enabled");
    }

    @Test
    public void disabling_twice_keeps_the_first_time_and_records_one_event() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        var first = service.disableApiKey(admin(), key.key().id());
        app.clock.advance(Duration.ofMinutes(1));

        var again = service.disableApiKey(admin(), key.key().id());

        assertEquals(first.key().disabledAt(), again.key().disabledAt());
        app.auditEvent(acme, "api_key.disabled"); // exactly one
    }

    @Test
    public void enabling_gives_the_scopes_back_so_the_caller_must_hold_them_all() {
        CreatedApiKey key = create(List.of("org:agents:read", "org:agents:manage"));
        service.disableApiKey(admin(), key.key().id());
        UserCaller keymaster = keymaster();
        Object before = app.contents();

        assertThrows(ForbiddenException.class, () -> service.enableApiKey(keymaster, key.key().id()));

        assertEquals(before, app.contents());
        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS));
        service.disableApiKey(keymaster, service.enableApiKey(admin(), key.key().id()).key().id()); // disabling needs no scope
    }

    @Test
    public void a_revoked_or_expired_key_cannot_be_edited_disabled_or_enabled() {
        CreatedApiKey revoked = create(List.of("org:agents:read"));
        service.disableApiKey(admin(), revoked.key().id());
        service.revokeApiKey(admin(), revoked.key().id(), Optional.empty());
        CreatedApiKey expiring = service.createApiKey(admin(), new CreateApiKeyCommand("Short", "",
                Optional.of(List.of("org:agents:read")), Optional.of(Duration.ofHours(1))));
        app.clock.advance(Duration.ofHours(1));
        UserCaller admin = admin(); // signing in touches the session: before the snapshot
        Object before = app.contents();

        for (ApiKeyId id : List.of(revoked.key().id(), expiring.key().id())) {
            assertThrows(ConflictException.class, () -> service.editApiKey(admin, id,
                    new EditApiKeyCommand(Optional.of("x"), Optional.empty(), Optional.empty())));
            assertThrows(ConflictException.class, () -> service.disableApiKey(admin, id));
            assertThrows(ConflictException.class, () -> service.enableApiKey(admin, id));
        }

        assertEquals(before, app.contents());
        assertEquals(ApiKeyStatus.REVOKED, service.getApiKey(admin(), revoked.key().id()).status());
        assertEquals(Optional.empty(), service.authenticate(revoked.secret(), ADDRESS));
    }

    @Test
    public void only_a_revoked_or_expired_key_is_deleted_and_its_audit_events_stay() {
        CreatedApiKey active = create(List.of("org:agents:read"));
        CreatedApiKey disabled = create(List.of("org:agents:read"));
        service.disableApiKey(admin(), disabled.key().id());
        CreatedApiKey revoked = create(List.of("org:agents:read"));
        service.revokeApiKey(admin(), revoked.key().id(), Optional.of("leaked"));
        CreatedApiKey expired = service.createApiKey(admin(), new CreateApiKeyCommand("Short", "",
                Optional.of(List.of("org:agents:read")), Optional.of(Duration.ofHours(1))));
        app.clock.advance(Duration.ofHours(1));

        var refused = assertThrows(ConflictException.class, () -> service.deleteApiKey(admin(), active.key().id()));
        assertEquals("The API key " + active.key().id() + " is active: only a revoked or expired key can be deleted. "
                + "Revoke it first.", refused.getMessage());
        assertThrows(ConflictException.class, () -> service.deleteApiKey(admin(), disabled.key().id()));
        service.deleteApiKey(admin(), revoked.key().id());
        service.deleteApiKey(admin(), expired.key().id());

        assertThrows(NotFoundException.class, () -> service.getApiKey(admin(), revoked.key().id()));
        assertThrows(NotFoundException.class, () -> service.deleteApiKey(admin(), revoked.key().id()));
        assertEquals(2, service.listApiKeys(admin(), new ListApiKeysQuery(null, Optional.empty(), PageRequest.first(10)))
                .totalCount());
        assertEquals(Optional.empty(), service.authenticate(revoked.secret(), ADDRESS));
        assertEquals(Optional.empty(), service.authenticate(expired.secret(), ADDRESS));
        app.auditEvent(acme, "api_key.revoked"); // still there
        assertEquals(2, app.auditLog.all(acme.id()).stream().filter(e -> e.action().equals("api_key.deleted")).count());
    }

    @Test
    public void a_change_in_another_process_reaches_this_one_through_the_feed() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());
        ApiKeyService otherNode = app.apiKeyNode(keys);

        otherNode.disableApiKey(admin(), key.key().id());
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent(), "cached here: only the feed can tell");
        service.keyRevoked(ApiKeySecret.parse(key.secret()).orElseThrow().hash());

        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS));
    }

    private CreatedApiKey create(List<String> scopes) {
        return service.createApiKey(admin(), new CreateApiKeyCommand("Deploy", "", Optional.of(scopes), Optional.empty()));
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
