package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ReportLeakedApiKeyUseCase.ReportLeakCommand;
import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor.LeakReportActor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakReportServiceTest {
    static final String URL = "https://github.com/acme/app/blob/main/.env";

    private final TestApplication app = new TestApplication();
    private final List<String> evicted = new ArrayList<>();
    private final LeakReportService reports = new LeakReportService(app.apiKeyRepository, app.organizations,
            app.memberships, app.roleRepository, app.throttle, app.mails, app.audit, app.tx, app.clock,
            new RevocationListener() {
                @Override
                public void keyRevoked(String secretHash) {
                    evicted.add(secretHash);
                }

                @Override
                public void keyRevoked(String secretHash, Instant sentAt) {
                    evicted.add(secretHash);
                }

                @Override
                public void feedInterrupted() {
                }

                @Override
                public void feedRestored() {
                }
            });
    private SignedIn alice;
    private Organization acme;
    private CreatedApiKey deploy;

    @BeforeEach
    void aliceAdministersAcmeWithAKey() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        deploy = app.apiKeys.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private void report(String secret, String url) {
        reports.reportLeak(new ReportLeakCommand(secret, url, ADDRESS));
    }

    private ApiKey stored() {
        return app.apiKeyRepository.find(acme.id(), deploy.key().id()).orElseThrow();
    }

    @Test
    void a_reported_secret_revokes_its_key_as_leaked_audited_by_leak_report_with_the_url() {
        report(deploy.secret(), URL);

        ApiKey key = stored();
        assertEquals(ApiKeyStatus.REVOKED, key.statusAt(app.clock.instant()));
        assertEquals(Optional.of("leaked"), key.revocationReason());
        assertTrue(app.apiKeys.authenticate(deploy.secret(), ADDRESS).isEmpty(), "refused right after");
        assertEquals(List.of(key.secretHash()), evicted, "this process's cache forgets the key after the commit");
        AuditEvent event = app.auditEvent(acme, "api_key.revoked");
        assertEquals(LeakReportActor.INSTANCE, event.actor());
        assertEquals(deploy.key().id().toString(), event.target());
        assertEquals("name=Deploy reason=leaked url=" + URL, event.details());
        assertEquals(ADDRESS, event.clientAddress());
    }

    @Test
    void the_audit_log_names_the_reporter_a_leak_report() {
        report(deploy.secret(), URL);
        var named = new com.orgkeys.application.audit.service.ListAuditEventsService(app.auditLog)
                .listNamedAuditEvents(app.callerOf(alice), com.orgkeys.domain.audit.AuditFilter.NONE,
                        com.orgkeys.domain.shared.PageRequest.first(10)).data();
        var event = named.stream().filter(e -> e.event().actor().equals(LeakReportActor.INSTANCE)).findFirst().orElseThrow();
        assertEquals("a leak report", event.actorName());
        assertEquals(Optional.of("Deploy"), event.targetName());
    }

    @Test
    void every_member_who_manages_keys_is_mailed_the_key_hint_time_and_url_never_the_secret() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.ADMIN);
        app.role(acme, "org:keykeeper", Set.of(Permission.API_KEYS_MANAGE, Permission.API_KEYS_READ));
        SignedIn carol = app.member(acme, "Carol", new RoleKey("org:keykeeper"));
        app.member(acme, "Dave", RoleKey.MEMBER);
        app.role(acme, "org:reader", Set.of(Permission.API_KEYS_READ));
        app.member(acme, "Erin", new RoleKey("org:reader"));

        report("  " + deploy.secret() + "\n", URL); // as a scanner may capture it
        app.deliverMail();

        List<ApiKeyLeakedMail> mails = app.mailer.sent().stream().filter(ApiKeyLeakedMail.class::isInstance)
                .map(ApiKeyLeakedMail.class::cast).sorted(Comparator.comparing(m -> m.to().value())).toList();
        assertEquals(List.of(alice.user().email(), bob.user().email(), carol.user().email()),
                mails.stream().map(ApiKeyLeakedMail::to).toList());
        ApiKeyLeakedMail mail = mails.getFirst();
        assertEquals("Acme", mail.organizationName());
        assertEquals("Deploy", mail.keyName());
        assertEquals(deploy.key().hint(), mail.keyHint());
        assertEquals(deploy.key().id().toString(), mail.keyId());
        assertEquals(app.clock.instant(), mail.revokedAt());
        assertEquals(URL, mail.foundAt());
        assertFalse(mail.toString().contains(deploy.secret()));
    }

    @Test
    void unknown_malformed_bad_checksum_and_already_revoked_secrets_change_nothing_and_answer_the_same() {
        String secret = deploy.secret();
        String badChecksum = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
        Object before = app.contents();
        for (String other : List.of("ok_" + "0".repeat(49), badChecksum, "ok_short", "not a secret at all", "sk_live_x")) {
            app.undoing(() -> report(other, null)); // returns normally, like a hit; only the throttle counted it
        }
        assertEquals(before, app.contents());
        assertEquals(ApiKeyStatus.ACTIVE, stored().statusAt(app.clock.instant()));

        report(secret, null);
        app.clock.advance(java.time.Duration.ofMinutes(1));
        report(secret, URL); // again: the first revocation's time and reason stand; no second event or mail
        app.deliverMail();
        assertEquals(1, app.auditLog.all(acme.id()).stream().filter(e -> e.action().equals("api_key.revoked")).count());
        assertEquals(1, app.mailer.sent().stream().filter(ApiKeyLeakedMail.class::isInstance).count());
        assertEquals(app.clock.instant().minus(java.time.Duration.ofMinutes(1)), stored().revokedAt().orElseThrow());
    }

    @Test
    void a_key_revoked_by_an_admin_first_keeps_its_reason_and_nobody_is_mailed() {
        app.apiKeys.revokeApiKey(app.callerOf(alice), deploy.key().id(), Optional.of("rotated"));
        report(deploy.secret(), URL);
        app.deliverMail();
        assertEquals(Optional.of("rotated"), stored().revocationReason());
        assertTrue(app.mailer.sent().stream().noneMatch(ApiKeyLeakedMail.class::isInstance));
    }

    @Test
    void input_that_cannot_be_text_or_a_bad_url_is_refused_before_anything_is_counted_or_looked_up() {
        Object before = app.contents();
        List<List<String>> cases = List.of(
                java.util.Arrays.asList(null, null), List.of("  ", URL), List.of("ok_\u0000abc", URL),
                List.of("x".repeat(201), URL), List.of(deploy.secret(), "ftp://example.com/x"),
                List.of(deploy.secret(), "/relative/path"), List.of(deploy.secret(), "https://example.com/a b"),
                List.of(deploy.secret(), "https://example.com/\u0000"), List.of(deploy.secret(), "https:///nohost"),
                List.of(deploy.secret(), "https://example.com/" + "x".repeat(2000)), List.of(deploy.secret(), ""));
        for (List<String> c : cases) {
            var refused = assertThrows(InvalidInputException.class, () -> report(c.get(0), c.get(1)), c.toString());
            String field = c.get(0) == null || c.get(0).isBlank() || c.get(0).length() > 52 || c.get(0).contains("\u0000")
                    ? "secret" : "url";
            assertEquals(field, refused.errors().getFirst().field(), c.toString());
        }
        assertEquals(before, app.contents(), "no key revoked, no throttle entry written");
        assertEquals(ApiKeyStatus.ACTIVE, stored().statusAt(app.clock.instant()));
        // none of them was counted: the address still has every report of its limit
        for (int i = 0; i < SharedAccountThrottle.LEAK_REPORTS_PER_ADDRESS; i++) report("ok_nothing_" + i, null);
    }

    @Test
    void reports_are_throttled_per_address_whatever_they_report_then_allowed_again() {
        for (int i = 0; i < SharedAccountThrottle.LEAK_REPORTS_PER_ADDRESS; i++) report("ok_nothing_" + i, null);
        var limited = assertThrows(RateLimitedException.class, () -> report(deploy.secret(), null));
        assertTrue(limited.retryAfter().toMillis() > 0);
        assertEquals(ApiKeyStatus.ACTIVE, stored().statusAt(app.clock.instant()), "a refused report revokes nothing");

        reports.reportLeak(new ReportLeakCommand("ok_other", null, "198.51.100.7")); // another address has its own
        app.clock.advance(SharedAccountThrottle.LEAK_REPORT_INTERVAL);
        report(deploy.secret(), null);
        assertEquals(ApiKeyStatus.REVOKED, stored().statusAt(app.clock.instant()));
    }

    @Test
    void reports_from_everywhere_together_are_limited_too() {
        int sent = 0;
        RateLimitedException limited = null;
        for (int i = 0; i < SharedAccountThrottle.LEAK_REPORTS_OVERALL + 1 && limited == null; i++) {
            String address = "10.0." + (i / 20) + "." + (i % 20); // 20 from each address: under its own limit
            try {
                reports.reportLeak(new ReportLeakCommand("ok_x", null, address));
                sent++;
            } catch (RateLimitedException e) {
                limited = e;
            }
        }
        assertEquals(SharedAccountThrottle.LEAK_REPORTS_OVERALL, sent);
        assertTrue(limited != null && limited.retryAfter().toMillis() > 0);
    }

    @Test
    void field_errors_name_the_field() {
        var refused = assertThrows(InvalidInputException.class, () -> report(null, "nope"));
        assertEquals(List.of("secret", "url"), refused.errors().stream().map(FieldError::field).toList());
    }
}
