package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.RotateApiKeyCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKeySecret;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotating a key's secret with a grace period (issue 25), with the lookup cache on as in production. */
class ApiKeyRotationServiceTest {
    private static final Duration GRACE = Duration.ofMinutes(10);
    private final TestApplication app = new TestApplication();
    private final CountingApiKeyRepository keys = new CountingApiKeyRepository(app.apiKeyRepository);
    private final ApiKeyService service = app.apiKeyNode(keys);
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        service.feedRestored();
    }

    @Test
    public void the_old_secret_works_until_the_grace_end_then_is_refused_from_the_cache_without_a_read() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent()); // remembered under the old hash

        CreatedApiKey rotated = service.rotateApiKey(admin(), key.key().id(), new RotateApiKeyCommand(Optional.of(GRACE)));

        assertEquals(key.key().id(), rotated.key().id());
        assertNotEquals(key.secret(), rotated.secret());
        assertEquals(app.clock.instant().plus(GRACE), rotated.key().rotation().orElseThrow().previousSecretExpiresAt());
        assertEquals(key.key().id().value(), service.authenticate(key.secret(), ADDRESS).orElseThrow().keyId());
        assertEquals(key.key().id().value(), service.authenticate(rotated.secret(), ADDRESS).orElseThrow().keyId());
        assertEquals(Optional.of(app.clock.instant().plus(GRACE)),
                service.verify(key.secret()).orElseThrow().expiresAt(), "the old secret says when it ends");
        int reads = keys.findByHashCalls.get() + keys.findByHashesCalls.get();

        app.clock.advance(GRACE.minusMillis(1));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent(), "a millisecond before the end");
        app.clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS), "at the end: refused");
        assertTrue(service.authenticate(rotated.secret(), ADDRESS).isPresent());
        assertEquals(reads, keys.findByHashCalls.get() + keys.findByHashesCalls.get(), "all from the cache");
        assertEquals("name=Deploy gracePeriodSeconds=600 previousSecretExpiresAt=" + rotated.key().rotation()
                .orElseThrow().previousSecretExpiresAt(), app.auditEvent(acme, "api_key.rotated").details());
    }

    @Test
    public void grace_zero_or_none_stops_the_old_secret_at_once() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());

        CreatedApiKey rotated = service.rotateApiKey(admin(), key.key().id(), new RotateApiKeyCommand(Optional.empty()));

        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS));
        assertTrue(service.authenticate(rotated.secret(), ADDRESS).isPresent());
    }

    @Test
    public void rotating_again_during_a_grace_period_stops_the_first_secret_at_once() {
        CreatedApiKey first = create(List.of("org:agents:read"));
        CreatedApiKey second = service.rotateApiKey(admin(), first.key().id(), new RotateApiKeyCommand(Optional.of(GRACE)));
        assertTrue(service.authenticate(first.secret(), ADDRESS).isPresent());

        CreatedApiKey third = service.rotateApiKey(admin(), first.key().id(), new RotateApiKeyCommand(Optional.of(GRACE)));

        assertEquals(Optional.empty(), service.authenticate(first.secret(), ADDRESS));
        assertTrue(service.authenticate(second.secret(), ADDRESS).isPresent());
        assertTrue(service.authenticate(third.secret(), ADDRESS).isPresent());
    }

    @Test
    public void revoking_a_key_in_its_grace_period_stops_both_secrets() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        CreatedApiKey rotated = service.rotateApiKey(admin(), key.key().id(), new RotateApiKeyCommand(Optional.of(GRACE)));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());

        service.revokeApiKey(admin(), key.key().id(), Optional.empty());

        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS));
        assertEquals(Optional.empty(), service.authenticate(rotated.secret(), ADDRESS));
    }

    @Test
    public void another_node_forgets_the_old_secret_through_the_feed_and_reads_its_grace_end() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());
        ApiKeyService otherNode = app.apiKeyNode(keys);

        otherNode.rotateApiKey(admin(), key.key().id(), new RotateApiKeyCommand(Optional.of(GRACE)));
        service.keyRevoked(ApiKeySecret.parse(key.secret()).orElseThrow().hash()); // what the feed delivers

        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());
        app.clock.advance(GRACE);
        assertEquals(Optional.empty(), service.authenticate(key.secret(), ADDRESS));
    }

    @Test
    public void only_an_active_key_is_rotated_and_the_grace_period_is_bounded() {
        CreatedApiKey key = create(List.of("org:agents:read"));
        service.disableApiKey(admin(), key.key().id());
        Object before = app.contents();

        assertThrows(ConflictException.class, () -> service.rotateApiKey(admin(), key.key().id(),
                new RotateApiKeyCommand(Optional.of(GRACE))));
        var invalid = assertThrows(InvalidInputException.class, () -> service.rotateApiKey(admin(), key.key().id(),
                new RotateApiKeyCommand(Optional.of(Duration.ofDays(7).plusSeconds(1)))));
        assertEquals("gracePeriod", invalid.errors().getFirst().field());
        assertEquals(before, app.contents());
        assertTrue(service.authenticate(key.secret(), ADDRESS).isEmpty());
    }

    @Test
    public void a_member_cannot_rotate_a_key_with_a_scope_they_lack() {
        CreatedApiKey key = create(List.of("org:agents:read", "org:agents:manage"));
        UserCaller keymaster = keymaster();
        Object before = app.contents();

        // the new secret would hand them org:agents:manage
        assertThrows(ForbiddenException.class, () -> service.rotateApiKey(keymaster, key.key().id(),
                new RotateApiKeyCommand(Optional.of(GRACE))));

        assertEquals(before, app.contents());
        assertTrue(service.authenticate(key.secret(), ADDRESS).isPresent());
    }

    private CreatedApiKey create(List<String> scopes) {
        return service.createApiKey(admin(), new CreateApiKeyCommand("Deploy", "", Optional.of(scopes), Optional.empty()));
    }

    private UserCaller admin() {
        return app.callerOf(alice);
    }

    private UserCaller keymaster() {
        app.roleService.createRole(admin(), new CreateRoleCommand("org:keymaster", "Key master",
                List.of("org:sys_api_keys:manage", "org:agents:read")));
        return app.callerOf(app.member(acme, "Bob", new RoleKey("org:keymaster")));
    }
}
