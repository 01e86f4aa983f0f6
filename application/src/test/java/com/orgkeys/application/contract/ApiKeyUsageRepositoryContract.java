package com.orgkeys.application.contract;

import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository.KeyDayCounts;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.organization.Organization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

public abstract class ApiKeyUsageRepositoryContract extends RepositoryContract {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 10);

    private static KeyDayCounts counts(ApiKey key, LocalDate day, long success, long scope, long rate, long ip,
                                       String address) {
        return new KeyDayCounts(key.id(), new DailyUsage(day, success, scope, rate, ip), Optional.ofNullable(address));
    }

    @Test
    public void counts_add_up_over_flushes_and_nodes_per_key_and_day() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey other = given.apiKey(acme, "Other", T0);

        repositories.apiKeyUsage().add(List.of(counts(key, DAY, 3, 1, 0, 0, "203.0.113.7"),
                counts(key, DAY.plusDays(1), 1, 0, 0, 0, null), counts(other, DAY, 5, 0, 0, 0, null)));
        // a second node's flush of the same key and day, and a refusal counted after its success was flushed
        repositories.apiKeyUsage().add(List.of(counts(key, DAY, 2, 0, 4, 1, null), counts(key, DAY, -1, 1, 0, 0, null)));

        assertEquals(List.of(new DailyUsage(DAY, 4, 2, 4, 1), new DailyUsage(DAY.plusDays(1), 1, 0, 0, 0)),
                repositories.apiKeyUsage().days(acme.id(), key.id(), DAY));
        assertEquals(List.of(new DailyUsage(DAY.plusDays(1), 1, 0, 0, 0)),
                repositories.apiKeyUsage().days(acme.id(), key.id(), DAY.plusDays(1)));
        assertEquals(List.of(new DailyUsage(DAY, 5, 0, 0, 0)), repositories.apiKeyUsage().days(acme.id(), other.id(), DAY));
        repositories.apiKeyUsage().add(List.of());
    }

    @Test
    public void the_last_address_is_that_of_the_latest_day_having_one_and_a_missing_one_keeps_it() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        assertEquals(Optional.empty(), repositories.apiKeyUsage().lastUsedAddress(acme.id(), key.id()));

        repositories.apiKeyUsage().add(List.of(counts(key, DAY, 1, 0, 0, 0, "203.0.113.7")));
        repositories.apiKeyUsage().add(List.of(counts(key, DAY, 1, 0, 0, 0, "2001:db8::1")));
        repositories.apiKeyUsage().add(List.of(counts(key, DAY.plusDays(1), 0, 1, 0, 0, null)));

        assertEquals(Optional.of("2001:db8::1"), repositories.apiKeyUsage().lastUsedAddress(acme.id(), key.id()));
    }

    @Test
    public void another_organization_sees_nothing_and_a_deleted_keys_counts_are_gone() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        repositories.apiKeyUsage().add(List.of(counts(key, DAY, 1, 0, 0, 0, "203.0.113.7")));

        assertEquals(List.of(), repositories.apiKeyUsage().days(other.id(), key.id(), DAY));
        assertEquals(Optional.empty(), repositories.apiKeyUsage().lastUsedAddress(other.id(), key.id()));

        ApiKey revoked = key.revoke(Optional.of("done"), at(Duration.ofDays(1)));
        repositories.apiKeys().markRevoked(revoked);
        repositories.apiKeys().deleteFinished(acme.id(), key.id(), at(Duration.ofDays(2)));
        assertEquals(List.of(), repositories.apiKeyUsage().days(acme.id(), key.id(), DAY));
        // a node flushing counts of the key after it was deleted: dropped, not an error
        repositories.apiKeyUsage().add(List.of(counts(key, DAY, 1, 0, 0, 0, null),
                new KeyDayCounts(ApiKeyId.random(), DailyUsage.none(DAY), Optional.empty())));
        assertEquals(List.of(), repositories.apiKeyUsage().days(acme.id(), key.id(), DAY));
    }

    @Test
    public void retention_deletes_the_days_before_a_day_in_batches() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey other = given.apiKey(acme, "Other", T0);
        List<KeyDayCounts> rows = new ArrayList<>();
        for (int d = 0; d < 5; d++) {
            rows.add(counts(key, DAY.plusDays(d), 1, 0, 0, 0, null));
            rows.add(counts(other, DAY.plusDays(d), 1, 0, 0, 0, null));
        }
        repositories.apiKeyUsage().add(rows);

        assertEquals(4, repositories.apiKeyUsage().deleteBefore(DAY.plusDays(3), 4));
        assertEquals(2, repositories.apiKeyUsage().deleteBefore(DAY.plusDays(3), 4));
        assertEquals(0, repositories.apiKeyUsage().deleteBefore(DAY.plusDays(3), 4));
        assertEquals(List.of(DAY.plusDays(3), DAY.plusDays(4)), repositories.apiKeyUsage()
                .days(acme.id(), key.id(), DAY).stream().map(DailyUsage::day).toList());
    }

    @Test
    public void a_keys_history_is_its_own_events_newest_first() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        Actor ada = new Actor.UserActor(UserId.random());
        String target = key.id().toString();
        AuditEvent created = given.auditEvent(acme, ada, "api_key.created", target, at(Duration.ofMinutes(1)));
        AuditEvent disabled = given.auditEvent(acme, ada, "api_key.disabled", target, at(Duration.ofMinutes(2)));
        given.auditEvent(acme, ada, "api_key.created", ApiKeyId.random().toString(), at(Duration.ofMinutes(3)));
        given.auditEvent(acme, ada, "member.added", target, at(Duration.ofMinutes(4)));
        given.auditEvent(other, ada, "api_key.revoked", target, at(Duration.ofMinutes(5)));

        assertEquals(List.of(disabled, created), repositories.auditLog().aboutTarget(acme.id(), "api_key.", target, 10));
        assertEquals(List.of(disabled), repositories.auditLog().aboutTarget(acme.id(), "api_key.", target, 1));
    }
}
