package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.RateLimitCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-key IP allowlists and rate limits (issue 25), with the lookup cache on as in production. */
class ApiKeyTrafficServiceTest {
    private final TestApplication app = new TestApplication();
    private final CountingApiKeyRepository keys = new CountingApiKeyRepository(app.apiKeyRepository);
    private final ApiKeyUsage usage = new ApiKeyUsage(keys, app.apiKeyUsageRepository);
    private final ApiKeyService service = new ApiKeyService(keys, usage, app.grants, app.verifiedEmails, app.audit,
            app.tx, app.clock, 1_000);
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        service.feedRestored();
    }

    @Test
    public void an_allowlisted_key_works_from_its_ranges_only_and_the_cached_key_sees_the_change_at_once() {
        CreatedApiKey key = create();
        assertTrue(service.authenticate(key.secret(), "198.51.100.7").isPresent()); // cached now, from anywhere

        service.setAllowlist(admin(), key.key().id(), List.of("203.0.113.0/24", "2001:db8::/32"));

        assertTrue(service.authenticate(key.secret(), "203.0.113.200").isPresent());
        assertTrue(service.authenticate(key.secret(), "2001:db8:1::5").isPresent());
        var refused = assertThrows(ForbiddenException.class, () -> service.authenticate(key.secret(), "198.51.100.7"));
        assertEquals("This API key may not be used from 198.51.100.7: the address is not on the key's IP allowlist.",
                refused.getMessage());
        assertThrows(ForbiddenException.class, () -> service.authenticate(key.secret(), "2001:db9::1"));
        // a backend asking about the key (verify, introspect) is not the client: its address decides nothing
        assertTrue(service.verify(key.secret()).isPresent());
        assertEquals("allowlist=(anywhere) → 203.0.113.0/24,2001:db8::/32",
                app.auditEvent(acme, "api_key.updated").details());

        service.setAllowlist(admin(), key.key().id(), List.of());
        assertTrue(service.authenticate(key.secret(), "198.51.100.7").isPresent());
    }

    @Test
    public void a_key_over_its_rate_limit_is_refused_until_the_next_window_and_refusals_do_not_count() {
        CreatedApiKey key = create();
        service.setRateLimit(admin(), key.key().id(), Optional.of(new RateLimitCommand(3, 60)));
        app.clock.set(TestApplication.START.plusSeconds(3600)); // the start of a window (aligned to the epoch)

        for (int i = 0; i < 3; i++) service.authenticate(key.secret(), TestApplication.ADDRESS).orElseThrow();
        app.clock.advance(Duration.ofSeconds(42));
        var refused = assertThrows(RateLimitedException.class, () -> service.verify(key.secret()));
        assertThrows(RateLimitedException.class, () -> service.authenticate(key.secret(), TestApplication.ADDRESS));

        assertEquals(Duration.ofSeconds(18), refused.retryAfter());
        assertEquals(new RateLimitedException.Quota(3, 60, 0), refused.quota().orElseThrow());
        app.clock.advance(Duration.ofSeconds(18));
        for (int i = 0; i < 3; i++) service.verify(key.secret()).orElseThrow();
        assertThrows(RateLimitedException.class, () -> service.verify(key.secret()));
    }

    @Test
    public void each_request_counts_once_in_the_key_usage_under_its_outcome_refusals_included() {
        CreatedApiKey key = create();
        service.setAllowlist(admin(), key.key().id(), List.of("203.0.113.0/24"));
        service.setRateLimit(admin(), key.key().id(), Optional.of(new RateLimitCommand(2, 60)));
        app.clock.set(TestApplication.START.plusSeconds(3600));

        service.authenticate(key.secret(), "203.0.113.9").orElseThrow();
        assertThrows(ForbiddenException.class, () -> service.authenticate(key.secret(), "198.51.100.7"));
        service.verify(key.secret()).orElseThrow();
        assertThrows(RateLimitedException.class, () -> service.authenticate(key.secret(), "203.0.113.9"));
        assertThrows(RateLimitedException.class, () -> service.verify(key.secret()));
        usage.flush();

        LocalDate today = LocalDate.ofInstant(app.clock.instant(), ZoneOffset.UTC);
        assertEquals(List.of(new DailyUsage(today, 2, 0, 2, 1)),
                app.apiKeyUsageRepository.days(acme.id(), key.key().id(), today));
        assertEquals(Optional.of("203.0.113.9"), app.apiKeyUsageRepository.lastUsedAddress(acme.id(), key.key().id()));
    }

    @Test
    public void the_organization_default_limits_keys_without_their_own_and_reaches_cached_keys_at_once() {
        CreatedApiKey plain = create();
        CreatedApiKey own = create();
        service.setRateLimit(admin(), own.key().id(), Optional.of(new RateLimitCommand(1_000, 60)));
        app.clock.set(TestApplication.START.plusSeconds(3600));
        service.verify(plain.secret()).orElseThrow(); // cached without a limit
        assertEquals(Optional.empty(), service.getApiKeyDefaults(admin()).rateLimit(), "none unless set");

        service.setApiKeyDefaults(admin(), Optional.of(new RateLimitCommand(2, 60)));

        service.verify(plain.secret()).orElseThrow();
        service.verify(plain.secret()).orElseThrow();
        assertThrows(RateLimitedException.class, () -> service.verify(plain.secret()));
        for (int i = 0; i < 10; i++) service.verify(own.secret()).orElseThrow();
        assertEquals(Optional.of(new RateLimit(2, 60)), service.getApiKeyDefaults(admin()).rateLimit());
        assertEquals("rateLimit=(none) → 2/60s",
                app.auditEvent(acme, "organization.api_key_defaults_updated").details());

        service.setApiKeyDefaults(admin(), Optional.empty());
        for (int i = 0; i < 10; i++) service.verify(plain.secret()).orElseThrow();
    }

    @Test
    public void bad_settings_are_refused_field_by_field_and_change_nothing() {
        CreatedApiKey key = create();
        Object before = app.contents();

        var cidrs = assertThrows(InvalidInputException.class, () -> service.setAllowlist(admin(), key.key().id(),
                List.of("10.0.0.1/8", "nope", "1.2.3.4/33", "10.0.0.0/8\u0000", "::1/129")));
        var tooMany = assertThrows(InvalidInputException.class, () -> service.setAllowlist(admin(), key.key().id(),
                Collections.nCopies(101, "10.0.0.0/8")));
        var limit = assertThrows(InvalidInputException.class, () -> service.setRateLimit(admin(), key.key().id(),
                Optional.of(new RateLimitCommand(0, 86_401))));
        var missing = assertThrows(InvalidInputException.class, () -> service.setApiKeyDefaults(admin(),
                Optional.of(new RateLimitCommand(null, 60))));

        assertEquals(List.of("allowlist[0]", "allowlist[1]", "allowlist[2]", "allowlist[3]", "allowlist[4]"),
                cidrs.errors().stream().map(FieldError::field).toList());
        assertEquals("'10.0.0.1/8' has bits set after the prefix; did you mean 10.0.0.0/8?", cidrs.errors().get(0).message());
        assertEquals(List.of("allowlist"), tooMany.errors().stream().map(FieldError::field).toList());
        assertEquals(List.of("requests", "windowSeconds"), limit.errors().stream().map(FieldError::field).toList());
        assertEquals(List.of("rateLimit.requests"), missing.errors().stream().map(FieldError::field).toList());
        assertEquals(before, app.contents());
    }

    @Test
    public void only_who_may_manage_keys_sets_traffic_controls_and_reading_defaults_needs_read() {
        CreatedApiKey key = create();
        UserCaller reader = reader();
        Object before = app.contents();

        assertThrows(ForbiddenException.class, () -> service.setAllowlist(reader, key.key().id(), List.of("10.0.0.0/8")));
        assertThrows(ForbiddenException.class, () -> service.setRateLimit(reader, key.key().id(),
                Optional.of(new RateLimitCommand(1, 1))));
        assertThrows(ForbiddenException.class, () -> service.setApiKeyDefaults(reader,
                Optional.of(new RateLimitCommand(1, 1))));
        assertEquals(before, app.contents());
        assertEquals(Optional.empty(), service.getApiKeyDefaults(reader).rateLimit());
    }

    private CreatedApiKey create() {
        return service.createApiKey(admin(), new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")),
                Optional.empty()));
    }

    private UserCaller admin() {
        return app.callerOf(alice);
    }

    private UserCaller reader() {
        app.roleService.createRole(admin(), new CreateRoleCommand("org:keyreader", "Key reader",
                List.of("org:sys_api_keys:read")));
        return app.callerOf(app.member(acme, "Bob", new RoleKey("org:keyreader")));
    }
}
