package com.orgkeys.application.contract;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository.Filter;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.IpAllowlist;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

public abstract class ApiKeyRepositoryContract extends RepositoryContract {
    private static final Instant NOW = at(Duration.ofDays(30));
    private static final Filter ALL = new Filter(null, null, NOW);

    @Test
    public void inserted_key_is_found_in_its_organization_and_by_its_hash() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", "used by CI", T0, Optional.of(at(Duration.ofDays(90))));

        assertEquals(Optional.of(key), repositories.apiKeys().find(acme.id(), key.id()));
        assertEquals(Optional.of(key), repositories.apiKeys().findByHash(key.secretHash()));
        assertEquals(Optional.empty(), repositories.apiKeys().findByHash("hash-of-nothing"));
        assertEquals(Optional.empty(), repositories.apiKeys().find(acme.id(), ApiKeyId.random()));
    }

    @Test
    public void traffic_controls_are_stored_and_verification_sees_the_organization_default_for_keys_without_their_own() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey own = given.apiKey(acme, "Own", "", T0, Optional.empty())
                .withTraffic(IpAllowlist.parse(List.of("192.0.2.0/24", "2001:db8::/32")), Optional.of(new RateLimit(5, 60)), T0);
        ApiKey plain = given.apiKey(acme, "Plain", "", T0, Optional.empty());
        ApiKey elsewhere = given.apiKey(other, "Elsewhere", "", T0, Optional.empty());
        assertTrue(repositories.apiKeys().update(own));

        List<String> told = repositories.apiKeys().setDefaultRateLimit(acme.id(), Optional.of(new RateLimit(100, 3600)));

        assertEquals(Optional.of(own), repositories.apiKeys().find(acme.id(), own.id()));
        assertEquals(Optional.of(plain), repositories.apiKeys().find(acme.id(), plain.id()), "its own settings: none");
        assertEquals(Optional.of(new RateLimit(100, 3600)), repositories.apiKeys().defaultRateLimit(acme.id()));
        assertEquals(Optional.empty(), repositories.apiKeys().defaultRateLimit(other.id()));
        assertEquals(Optional.of(new RateLimit(5, 60)), repositories.apiKeys().findByHash(own.secretHash()).orElseThrow().rateLimit());
        assertEquals(Optional.of(new RateLimit(100, 3600)),
                repositories.apiKeys().findByHash(plain.secretHash()).orElseThrow().rateLimit());
        assertEquals(Optional.of(new RateLimit(100, 3600)),
                repositories.apiKeys().findByHashes(List.of(plain.secretHash())).get(plain.secretHash()).rateLimit());
        assertEquals(Optional.empty(), repositories.apiKeys().findByHash(elsewhere.secretHash()).orElseThrow().rateLimit());
        assertEquals(List.of("192.0.2.0/24", "2001:db8::/32"),
                repositories.apiKeys().findByHash(own.secretHash()).orElseThrow().allowlist().texts());
        assertEquals(java.util.Set.of(own.secretHash(), plain.secretHash()), java.util.Set.copyOf(told));

        repositories.apiKeys().setDefaultRateLimit(acme.id(), Optional.empty());
        assertEquals(Optional.empty(), repositories.apiKeys().findByHash(plain.secretHash()).orElseThrow().rateLimit());
    }

    @Test
    public void another_organization_can_neither_find_list_nor_revoke_the_key() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey revokedAsOther = new ApiKey(key.id(), other.id(), key.name(), key.description(), key.scopes(),
                key.secretHash(), key.hint(), key.createdBy(), key.createdAt(), key.expiresAt(), key.lastUsedAt(),
                Optional.of(at(Duration.ofDays(1))), Optional.of("hostile"));

        repositories.apiKeys().markRevoked(revokedAsOther);

        assertEquals(Optional.empty(), repositories.apiKeys().find(other.id(), key.id()));
        assertEquals(new Page<>(List.of(), 0), repositories.apiKeys().page(other.id(), ALL, PageRequest.first(10)));
        assertEquals(Optional.of(key), repositories.apiKeys().find(acme.id(), key.id()));
    }

    @Test
    public void a_second_key_with_the_same_secret_hash_is_a_conflict() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey clash = Fixtures.newApiKey(given.organization("Other"), "Clash", "", T0, Optional.empty());
        ApiKey sameHash = new ApiKey(clash.id(), clash.organizationId(), clash.name(), clash.description(),
                clash.scopes(), key.secretHash(), clash.hint(), clash.createdBy(), clash.createdAt(), clash.expiresAt(),
                clash.lastUsedAt(), clash.revokedAt(), clash.revocationReason());

        assertThrows(ConflictException.class, () -> repositories.apiKeys().insert(sameHash));
        assertEquals(Optional.of(key), repositories.apiKeys().findByHash(key.secretHash()));
    }

    @Test
    public void a_request_makes_at_most_one_key_in_each_organization() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey first = Fixtures.newApiKey(acme, "First", "", T0, Optional.empty());
        ApiKey again = Fixtures.newApiKey(acme, "Again", "", T0, Optional.empty());

        assertTrue(repositories.apiKeys().insertOnce(first, "request-hash"));
        assertFalse(repositories.apiKeys().insertOnce(again, "request-hash"));
        assertEquals(Optional.empty(), repositories.apiKeys().find(acme.id(), again.id()));
        assertTrue(repositories.apiKeys().insertOnce(Fixtures.newApiKey(other, "Elsewhere", "", T0, Optional.empty()),
                "request-hash"), "another organization's request");
        assertTrue(repositories.apiKeys().insertOnce(again, "another-request-hash"));
        repositories.apiKeys().insert(Fixtures.newApiKey(acme, "Without", "", T0, Optional.empty()));
        repositories.apiKeys().insert(Fixtures.newApiKey(acme, "Without too", "", T0, Optional.empty()));
        assertEquals(4, repositories.apiKeys().page(acme.id(), ALL, PageRequest.first(10)).totalCount());
    }

    @Test
    public void text_search_matches_name_or_description_ignoring_case() {
        Organization acme = given.organization("Acme");
        ApiKey byName = given.apiKey(acme, "Production DEPLOY", "", at(Duration.ofDays(1)), Optional.empty());
        ApiKey byDescription = given.apiKey(acme, "CI", "Used to deploy nightly", at(Duration.ofDays(2)), Optional.empty());
        given.apiKey(acme, "Billing export", "reads invoices", at(Duration.ofDays(3)), Optional.empty());
        given.apiKey(given.organization("Other"), "deploy", "", at(Duration.ofDays(4)), Optional.empty());

        assertEquals(List.of(byDescription, byName), search(acme, "dEpLoY"));
        assertEquals(List.of(byName), search(acme, "production"));
    }

    @Test
    public void text_search_matches_the_hint_as_shown_or_its_last_characters() {
        Organization acme = given.organization("Acme");
        ApiKey wxyz = withHint(acme, "Deploy", "ok_…WxYz", at(Duration.ofDays(1)));
        ApiKey other = withHint(acme, "Billing", "ok_…a1b2", at(Duration.ofDays(2)));

        assertEquals(List.of(wxyz), search(acme, "wxyz"));
        assertEquals(List.of(wxyz), search(acme, "ok_…WxYz"));
        assertEquals(List.of(other), search(acme, "A1B2"));
        assertEquals(List.of(other, wxyz), search(acme, "ok_…"));
    }

    private ApiKey withHint(Organization organization, String name, String hint, Instant createdAt) {
        ApiKey k = Fixtures.newApiKey(organization, name, "", createdAt, Optional.empty());
        ApiKey key = new ApiKey(k.id(), k.organizationId(), k.name(), k.description(), k.scopes(), k.secretHash(), hint,
                k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt(), k.revocationReason());
        repositories.apiKeys().insert(key);
        return key;
    }

    @Test
    public void text_search_ignores_the_case_of_accented_letters_too() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "ÉCLAIR Ölmühle", "", T0, Optional.empty());

        assertEquals(List.of(key), search(acme, "éclair ölm"));
    }

    @Test
    public void percent_underscore_and_backslash_in_the_search_text_match_only_themselves() {
        Organization acme = given.organization("Acme");
        ApiKey percent = given.apiKey(acme, "100% coverage", "", at(Duration.ofDays(1)), Optional.empty());
        ApiKey underscore = given.apiKey(acme, "snake_case", "", at(Duration.ofDays(2)), Optional.empty());
        ApiKey backslash = given.apiKey(acme, "C:\\keys", "", at(Duration.ofDays(3)), Optional.empty());
        given.apiKey(acme, "1000 coverage", "", at(Duration.ofDays(4)), Optional.empty());
        given.apiKey(acme, "snakeXcase", "", at(Duration.ofDays(5)), Optional.empty());
        given.apiKey(acme, "C:keys", "", at(Duration.ofDays(6)), Optional.empty());

        assertEquals(List.of(percent), search(acme, "0%"));
        assertEquals(List.of(underscore), search(acme, "e_c"));
        assertEquals(List.of(backslash), search(acme, ":\\k"));
        assertEquals(List.of(), search(acme, "%%"));
    }

    @Test
    public void spaces_and_signs_between_words_match_only_themselves() {
        Organization acme = given.organization("Acme");
        ApiKey spaced = given.apiKey(acme, "Acme Games", "", at(Duration.ofDays(1)), Optional.empty());
        ApiKey dashed = given.apiKey(acme, "Acme-Games", "", at(Duration.ofDays(2)), Optional.empty());
        given.apiKey(acme, "AcmeXGames", "", at(Duration.ofDays(3)), Optional.empty());
        ApiKey underscore = given.apiKey(acme, "snake_case_keys", "", at(Duration.ofDays(4)), Optional.empty());
        given.apiKey(acme, "snakeXcaseXkeys", "", at(Duration.ofDays(5)), Optional.empty());
        ApiKey emoji = given.apiKey(acme, "Deploy 🔑 staging", "", at(Duration.ofDays(6)), Optional.empty());
        given.apiKey(acme, "Deploy 🔒 staging", "", at(Duration.ofDays(7)), Optional.empty());

        assertEquals(List.of(spaced), search(acme, "acme games"));
        assertEquals(List.of(dashed), search(acme, "ACME-games"));
        assertEquals(List.of(underscore), search(acme, "snake_case_keys"));
        assertEquals(List.of(emoji), search(acme, "deploy 🔑 staging"));
        assertEquals(List.of(), search(acme, "acme  games"));
    }

    @Test
    public void status_filters_are_relative_to_the_filter_time() {
        Organization acme = given.organization("Acme");
        ApiKey forever = given.apiKey(acme, "Forever", "", at(Duration.ofDays(1)), Optional.empty());
        ApiKey notYetExpired = given.apiKey(acme, "Later", "", at(Duration.ofDays(2)), Optional.of(NOW.plusSeconds(1)));
        ApiKey expiresNow = given.apiKey(acme, "Now", "", at(Duration.ofDays(3)), Optional.of(NOW));
        ApiKey expired = given.apiKey(acme, "Past", "", at(Duration.ofDays(4)), Optional.of(NOW.minusSeconds(60)));
        ApiKey revoked = given.apiKey(acme, "Revoked", "", at(Duration.ofDays(5)), Optional.of(NOW.minusSeconds(60)));
        repositories.apiKeys().markRevoked(revoked.revoke(Optional.of("leaked"), at(Duration.ofDays(6))));

        assertEquals(List.of(notYetExpired, forever), withStatus(acme, ApiKeyStatus.ACTIVE, NOW));
        assertEquals(List.of(expired, expiresNow), withStatus(acme, ApiKeyStatus.EXPIRED, NOW));
        assertEquals(List.of(revoked.id()), withStatus(acme, ApiKeyStatus.REVOKED, NOW).stream().map(ApiKey::id).toList());
        // an hour earlier, two of the expired keys were still active
        assertEquals(List.of(expired, expiresNow, notYetExpired, forever),
                withStatus(acme, ApiKeyStatus.ACTIVE, NOW.minus(Duration.ofHours(1))));
    }

    @Test
    public void pages_come_newest_first_with_the_total_count() {
        Organization acme = given.organization("Acme");
        List<ApiKey> keys = Stream.iterate(1, i -> i + 1).limit(5)
                .map(i -> given.apiKey(acme, "Key " + i, at(Duration.ofDays(i)))).toList();
        // two keys created in the same second come in id order, descending (as created_at)
        ApiKey tieA = given.apiKey(acme, "Tie A", at(Duration.ofDays(10)));
        ApiKey tieB = given.apiKey(acme, "Tie B", at(Duration.ofDays(10)));
        List<ApiKey> ties = Stream.of(tieA, tieB).sorted(Comparator.comparing((ApiKey k) -> k.id().value().toString())
                .reversed()).toList();

        Page<ApiKey> first = repositories.apiKeys().page(acme.id(), ALL, new PageRequest(1, 3));
        Page<ApiKey> second = repositories.apiKeys().page(acme.id(), ALL, new PageRequest(2, 3));
        Page<ApiKey> beyond = repositories.apiKeys().page(acme.id(), ALL, new PageRequest(4, 3));

        assertEquals(new Page<>(List.of(ties.get(0), ties.get(1), keys.get(4)), 7), first.withoutCursors());
        assertEquals(new Page<>(List.of(keys.get(3), keys.get(2), keys.get(1)), 7), second.withoutCursors());
        assertEquals(new Page<>(List.of(), 7), beyond);
    }

    @Test
    public void the_total_count_counts_only_what_the_filter_matches() {
        Organization acme = given.organization("Acme");
        for (int i = 1; i <= 4; i++) given.apiKey(acme, "deploy " + i, at(Duration.ofDays(i)));
        given.apiKey(acme, "billing", at(Duration.ofDays(9)));

        Page<ApiKey> page = repositories.apiKeys().page(acme.id(), new Filter("DEPLOY", ApiKeyStatus.ACTIVE, NOW),
                new PageRequest(1, 3));

        assertEquals(3, page.data().size());
        assertEquals(4, page.totalCount());
    }

    @Test
    public void many_keys_are_found_by_their_hashes_in_one_call_and_unknown_hashes_are_left_out() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey a = given.apiKey(acme, "A", T0);
        ApiKey b = given.apiKey(other, "B", T0);
        given.apiKey(acme, "not asked for", T0);

        assertEquals(Map.of(a.secretHash(), a, b.secretHash(), b),
                repositories.apiKeys().findByHashes(List.of(a.secretHash(), "hash-of-nothing", b.secretHash())));
        assertEquals(Map.of(), repositories.apiKeys().findByHashes(List.of()));
    }

    @Test
    public void last_used_moves_forward_and_never_back() {
        Organization acme = given.organization("Acme");
        ApiKey a = given.apiKey(acme, "A", T0);
        ApiKey b = given.apiKey(acme, "B", T0);
        ApiKey untouched = given.apiKey(acme, "C", T0);

        repositories.apiKeys().recordLastUsed(Map.of(a.id(), at(Duration.ofHours(2)), b.id(), at(Duration.ofHours(1)),
                ApiKeyId.random(), at(Duration.ofHours(1))));
        repositories.apiKeys().recordLastUsed(Map.of(a.id(), at(Duration.ofHours(1)), b.id(), at(Duration.ofHours(3))));
        repositories.apiKeys().recordLastUsed(Map.of());

        assertEquals(Optional.of(at(Duration.ofHours(2))), lastUsed(a));
        assertEquals(Optional.of(at(Duration.ofHours(3))), lastUsed(b));
        assertEquals(Optional.empty(), lastUsed(untouched));
    }

    @Test
    public void revocation_is_stored_with_its_time_and_reason() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey revoked = key.revoke(Optional.of("leaked in a log"), at(Duration.ofHours(5)));

        assertTrue(repositories.apiKeys().markRevoked(revoked));

        ApiKey stored = repositories.apiKeys().find(acme.id(), key.id()).orElseThrow();
        assertEquals(revoked, stored);
        assertEquals(Optional.of(at(Duration.ofHours(5))), stored.revokedAt());
        assertEquals(Optional.of("leaked in a log"), stored.revocationReason());
    }

    @Test
    public void the_first_revocation_wins_and_later_ones_change_nothing() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        assertTrue(repositories.apiKeys().markRevoked(key.revoke(Optional.of("first"), at(Duration.ofHours(1)))));
        assertFalse(repositories.apiKeys().markRevoked(key.revoke(Optional.of("second"), at(Duration.ofHours(2)))));
        ApiKey stored = repositories.apiKeys().find(acme.id(), key.id()).orElseThrow();
        assertEquals(Optional.of("first"), stored.revocationReason());
        assertEquals(Optional.of(at(Duration.ofHours(1))), stored.revokedAt());
    }

    @Test
    public void deleting_the_organization_deletes_its_keys_and_only_its_keys() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey othersKey = given.apiKey(other, "Deploy", T0);

        repositories.organizations().delete(acme.id());

        assertEquals(Optional.empty(), repositories.apiKeys().findByHash(key.secretHash()));
        assertEquals(new Page<>(List.of(), 0), repositories.apiKeys().page(acme.id(), ALL, PageRequest.first(10)));
        assertEquals(Optional.of(othersKey), repositories.apiKeys().findByHash(othersKey.secretHash()));
    }

    private List<ApiKey> search(Organization organization, String text) {
        return repositories.apiKeys().page(organization.id(), new Filter(text, null, NOW), PageRequest.first(100)).data();
    }

    private List<ApiKey> withStatus(Organization organization, ApiKeyStatus status, Instant now) {
        return repositories.apiKeys().page(organization.id(), new Filter(null, status, now), PageRequest.first(100)).data();
    }

    private Optional<Instant> lastUsed(ApiKey key) {
        return repositories.apiKeys().find(key.organizationId(), key.id()).orElseThrow().lastUsedAt();
    }

    // ---- cursors ----------------------------------------------------------------------------------------------

    /** Seven keys, three created in the same instant, in the list's order (created_at, then id, both descending). */
    private List<ApiKey> sevenKeys(Organization organization) {
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            keys.add(given.apiKey(organization, "Key " + i, at(Duration.ofDays(i <= 3 ? 3 : i))));
        }
        return keys.stream().sorted(Comparator.comparing(ApiKey::createdAt)
                .thenComparing((ApiKey k) -> k.id().value().toString()).reversed()).toList();
    }

    @Test
    public void a_cursor_walk_visits_every_key_once_while_newer_keys_are_created() {
        Organization acme = given.organization("Acme");
        List<ApiKey> keys = sevenKeys(acme);
        int[] made = {0};
        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.apiKeys().page(acme.id(), ALL, page),
                keys, List.of(() -> given.apiKey(acme, "New " + ++made[0], at(Duration.ofDays(20 + made[0]))),
                        () -> given.apiKey(acme, "New " + ++made[0], at(Duration.ofDays(20 + made[0])))));
    }

    @Test
    public void page_number_pages_carry_the_cursors_of_their_neighbours() {
        Organization acme = given.organization("Acme");
        sevenKeys(acme);
        KeysetChecks.pageNumberPagesCarryCursors(page -> repositories.apiKeys().page(acme.id(), ALL, page), 7);
    }

    @Test
    public void a_cursor_walk_keeps_to_its_filters() {
        Organization acme = given.organization("Acme");
        List<ApiKey> revoked = new ArrayList<>();
        for (ApiKey key : sevenKeys(acme)) {
            if (key.name().endsWith("1") || key.name().endsWith("2") || key.name().endsWith("5")
                    || key.name().endsWith("6")) {
                ApiKey done = key.revoke(Optional.of("test"), NOW);
                repositories.apiKeys().markRevoked(done);
                revoked.add(done);
            }
        }
        Filter revokedKeys = new Filter(null, ApiKeyStatus.REVOKED, NOW);
        Filter searched = new Filter("key", ApiKeyStatus.REVOKED, NOW);
        int[] made = {0};
        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.apiKeys().page(acme.id(), revokedKeys, page),
                revoked, List.of(() -> {
                    ApiKey key = given.apiKey(acme, "New " + ++made[0], at(Duration.ofDays(20 + made[0])))
                            .revoke(Optional.empty(), NOW);
                    repositories.apiKeys().markRevoked(key);
                    return key;
                }));
        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.apiKeys().page(acme.id(), searched, page),
                revoked, List.of());
    }

    @Test
    public void a_cursor_is_refused_by_other_filters_another_organization_and_another_list() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        sevenKeys(acme);
        sevenKeys(other);
        given.agent(acme, "agent-1", T0);
        given.agent(acme, "agent-2", T0);
        var all = (java.util.function.Function<PageRequest, Page<ApiKey>>) page -> repositories.apiKeys().page(acme.id(), ALL, page);
        KeysetChecks.cursorIsRefusedElsewhere(all, page -> repositories.apiKeys().page(acme.id(),
                new Filter(null, ApiKeyStatus.ACTIVE, NOW), page));
        KeysetChecks.cursorIsRefusedElsewhere(all, page -> repositories.apiKeys().page(acme.id(),
                new Filter("key", null, NOW), page));
        KeysetChecks.cursorIsRefusedElsewhere(all, page -> repositories.apiKeys().page(other.id(), ALL, page));
        KeysetChecks.cursorIsRefusedElsewhere(all, page -> repositories.agents().page(acme.id(), page));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.agents().page(acme.id(), page), all);
        // the same filters at another time are the same list
        Page<ApiKey> first = repositories.apiKeys().page(acme.id(), ALL, PageRequest.first(3));
        assertEquals(3, repositories.apiKeys().page(acme.id(), new Filter(null, null, NOW.plusSeconds(60)),
                PageRequest.at(first.nextCursor().orElseThrow(), 3)).data().size());
    }

    @Test
    public void an_update_stores_settings_and_state_in_its_organization_only_and_never_for_a_revoked_key() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        Instant later = at(Duration.ofDays(1));
        ApiKey edited = key.edit("Renamed", "for CI", java.util.Set.of(com.orgkeys.domain.membership.Permission.AGENTS_READ),
                later).disable(later);
        ApiKey asOther = new ApiKey(key.id(), other.id(), "Hostile", "", key.scopes(), key.secretHash(), key.hint(),
                key.createdBy(), key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt(),
                key.revocationReason(), Optional.of(later), later);

        assertFalse(repositories.apiKeys().update(asOther));
        assertEquals(Optional.of(key), repositories.apiKeys().find(acme.id(), key.id()));
        assertTrue(repositories.apiKeys().update(edited));
        assertEquals(Optional.of(edited), repositories.apiKeys().find(acme.id(), key.id()));
        assertEquals(Optional.of(edited), repositories.apiKeys().findByHash(key.secretHash()));

        ApiKey revoked = edited.revoke(Optional.empty(), later);
        assertTrue(repositories.apiKeys().markRevoked(revoked));
        assertFalse(repositories.apiKeys().update(edited.enable(later)), "a revoked key stays as it was revoked");
        assertEquals(Optional.of(revoked), repositories.apiKeys().find(acme.id(), key.id()));
    }

    @Test
    public void a_description_stores_the_name_and_description_only_in_its_organization_and_never_for_a_revoked_key() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        Instant later = at(Duration.ofDays(1));
        ApiKey renamed = key.edit("Renamed", "for CI", null, later);
        ApiKey asOther = new ApiKey(key.id(), other.id(), "Hostile", "", key.scopes(), key.secretHash(), key.hint(),
                key.createdBy(), key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt(),
                key.revocationReason(), Optional.empty(), later);

        assertFalse(repositories.apiKeys().describe(asOther));
        assertEquals(Optional.of(key), repositories.apiKeys().find(acme.id(), key.id()));
        // whatever else the key passed in says is not stored: a description is a name and a description
        assertTrue(repositories.apiKeys().describe(renamed.disable(later)));
        assertEquals(Optional.of(renamed), repositories.apiKeys().find(acme.id(), key.id()));

        ApiKey revoked = renamed.revoke(Optional.empty(), later);
        assertTrue(repositories.apiKeys().markRevoked(revoked));
        assertFalse(repositories.apiKeys().describe(renamed.edit("Again", null, null, later)));
        assertEquals(Optional.of(revoked), repositories.apiKeys().find(acme.id(), key.id()));
    }

    @Test
    public void only_a_revoked_or_expired_key_of_the_organization_is_deleted() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey active = given.apiKey(acme, "Active", T0);
        ApiKey disabled = given.apiKey(acme, "Disabled", T0);
        repositories.apiKeys().update(disabled.disable(T0));
        ApiKey revoked = given.apiKey(acme, "Revoked", T0);
        repositories.apiKeys().markRevoked(revoked.revoke(Optional.empty(), T0));
        ApiKey expired = given.apiKey(acme, "Expired", "", T0, Optional.of(at(Duration.ofDays(1))));

        assertFalse(repositories.apiKeys().deleteFinished(acme.id(), active.id(), NOW));
        assertFalse(repositories.apiKeys().deleteFinished(acme.id(), disabled.id(), NOW));
        assertFalse(repositories.apiKeys().deleteFinished(other.id(), revoked.id(), NOW));
        assertFalse(repositories.apiKeys().deleteFinished(acme.id(), expired.id(), T0), "not expired yet at T0");
        assertTrue(repositories.apiKeys().deleteFinished(acme.id(), revoked.id(), NOW));
        assertTrue(repositories.apiKeys().deleteFinished(acme.id(), expired.id(), NOW));
        assertFalse(repositories.apiKeys().deleteFinished(acme.id(), revoked.id(), NOW), "gone already");

        assertEquals(Optional.empty(), repositories.apiKeys().find(acme.id(), revoked.id()));
        assertEquals(Optional.empty(), repositories.apiKeys().findByHash(expired.secretHash()));
        assertEquals(java.util.Set.of(disabled.id(), active.id()), java.util.Set.copyOf(
                repositories.apiKeys().page(acme.id(), ALL, PageRequest.first(10)).data().stream().map(ApiKey::id).toList()));
    }

    @Test
    public void the_disabled_filter_holds_disabled_keys_not_yet_expired_and_active_holds_no_disabled_key() {
        Organization acme = given.organization("Acme");
        ApiKey active = given.apiKey(acme, "Active", T0);
        ApiKey disabled = given.apiKey(acme, "Disabled", T0);
        repositories.apiKeys().update(disabled.disable(T0));
        ApiKey disabledThenExpired = given.apiKey(acme, "Expired", "", T0, Optional.of(at(Duration.ofDays(1))));
        repositories.apiKeys().update(disabledThenExpired.disable(T0));
        ApiKey disabledThenRevoked = given.apiKey(acme, "Revoked", T0);
        repositories.apiKeys().update(disabledThenRevoked.disable(T0));
        repositories.apiKeys().markRevoked(disabledThenRevoked.disable(T0).revoke(Optional.empty(), T0));

        assertEquals(List.of(disabled.id()), ids(acme, ApiKeyStatus.DISABLED));
        assertEquals(List.of(active.id()), ids(acme, ApiKeyStatus.ACTIVE));
        assertEquals(List.of(disabledThenExpired.id()), ids(acme, ApiKeyStatus.EXPIRED));
        assertEquals(List.of(disabledThenRevoked.id()), ids(acme, ApiKeyStatus.REVOKED));
    }

    @Test
    public void a_rotated_key_is_found_by_either_secret_and_a_second_rotation_drops_the_first() {
        Organization acme = given.organization("Acme");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey other = given.apiKey(acme, "Other", T0);
        Instant rotatedAt = at(Duration.ofDays(1));
        ApiKey rotated = key.rotate("hash-second", "ok_…2222", Duration.ofHours(1), rotatedAt);

        assertTrue(repositories.apiKeys().rotate(rotated, key.secretHash(), key.secretHashes()));

        assertEquals(Optional.of(rotated), repositories.apiKeys().find(acme.id(), key.id()));
        assertEquals(Optional.of(rotated), repositories.apiKeys().findByHash("hash-second"));
        assertEquals(Optional.of(rotated), repositories.apiKeys().findByHash(key.secretHash()), "by the previous secret");
        assertEquals(Map.of("hash-second", rotated, key.secretHash(), rotated, other.secretHash(), other),
                repositories.apiKeys().findByHashes(List.of("hash-second", key.secretHash(), other.secretHash(), "nothing")));

        ApiKey again = rotated.rotate("hash-third", "ok_…3333", Duration.ZERO, rotatedAt.plusSeconds(60));
        assertFalse(repositories.apiKeys().rotate(again, key.secretHash(), List.of()), "the secret changed meanwhile");
        assertTrue(repositories.apiKeys().rotate(again, "hash-second", rotated.secretHashes()));

        assertEquals(Optional.empty(), repositories.apiKeys().findByHash(key.secretHash()));
        assertEquals(Optional.empty(), repositories.apiKeys().findByHash("hash-second"), "grace 0 keeps no hash");
        assertEquals(Optional.of(again), repositories.apiKeys().findByHash("hash-third"));
        assertEquals(Optional.of(rotatedAt.plusSeconds(60)),
                repositories.apiKeys().find(acme.id(), key.id()).orElseThrow().rotation().map(ApiKey.Rotation::previousSecretExpiresAt));
    }

    @Test
    public void a_revoked_key_or_one_of_another_organization_is_not_rotated() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        ApiKey key = given.apiKey(acme, "Deploy", T0);
        ApiKey rotated = key.rotate("hash-second", "ok_…2222", Duration.ofHours(1), at(Duration.ofDays(1)));
        ApiKey asOther = new ApiKey(key.id(), other.id(), key.name(), key.description(), key.scopes(), "hash-hostile",
                key.hint(), key.createdBy(), key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt(),
                key.revocationReason(), key.disabledAt(), key.updatedAt(), rotated.rotation(), key.allowlist(),
                key.rateLimit());

        assertFalse(repositories.apiKeys().rotate(asOther, key.secretHash(), List.of()));
        repositories.apiKeys().markRevoked(key.revoke(Optional.empty(), at(Duration.ofHours(1))));
        assertFalse(repositories.apiKeys().rotate(rotated, key.secretHash(), List.of()));
        assertEquals(key.secretHash(), repositories.apiKeys().find(acme.id(), key.id()).orElseThrow().secretHash());
    }

    @Test
    public void a_users_key_is_verified_with_the_scopes_its_user_holds_in_its_organization_now() {
        Organization acme = given.organization("Acme");
        com.orgkeys.domain.account.User bob = given.user("Bob");
        given.member(acme, bob, com.orgkeys.domain.membership.RoleKey.MEMBER, T0);
        given.role(acme, "org:reader"); // agents:read only
        ApiKey stored = insertOwned(acme, bob, "Bob's own");

        assertEquals(Optional.of(bob.id()), repositories.apiKeys().find(acme.id(), stored.id()).orElseThrow().owner());
        assertEquals(stored.scopes(), repositories.apiKeys().findByHash(stored.secretHash()).orElseThrow().scopes(),
                "a member holds agents:read and agents:manage");
        repositories.memberships().updateRole(acme.id(), bob.id(), new com.orgkeys.domain.membership.RoleKey("org:reader"));
        assertEquals(java.util.Set.of(com.orgkeys.domain.membership.Permission.AGENTS_READ),
                repositories.apiKeys().findByHash(stored.secretHash()).orElseThrow().scopes(), "a custom role's permissions");
        assertEquals(java.util.Set.of(com.orgkeys.domain.membership.Permission.AGENTS_READ),
                repositories.apiKeys().findByHashes(List.of(stored.secretHash())).get(stored.secretHash()).scopes());
        assertEquals(stored.scopes(), repositories.apiKeys().find(acme.id(), stored.id()).orElseThrow().scopes(),
                "the key's own scopes are kept");
        repositories.memberships().delete(acme.id(), bob.id());
        assertEquals(java.util.Set.of(), repositories.apiKeys().findByHash(stored.secretHash()).orElseThrow().scopes(),
                "no longer a member: nothing");
    }

    @Test
    public void a_users_keys_are_revoked_forgotten_and_listed_by_subject_and_nobody_elses() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        com.orgkeys.domain.account.User bob = given.user("Bob");
        com.orgkeys.domain.account.User carol = given.user("Carol");
        given.member(acme, bob, com.orgkeys.domain.membership.RoleKey.MEMBER, T0);
        given.member(other, bob, com.orgkeys.domain.membership.RoleKey.ADMIN, T0);
        given.member(acme, carol, com.orgkeys.domain.membership.RoleKey.MEMBER, T0);
        ApiKey bobs = insertOwned(acme, bob, "Bob's");
        ApiKey bobsElsewhere = insertOwned(other, bob, "Bob's other");
        ApiKey carols = insertOwned(acme, carol, "Carol's");
        ApiKey organizations = given.apiKey(acme, "Acme's", T0);

        assertEquals(List.of(bobs.id()), ids(acme, com.orgkeys.domain.apikey.ApiKeySubject.of(bob.id())));
        assertEquals(1, repositories.apiKeys().countWorkingOwnedBy(acme.id(), bob.id(), NOW));
        assertEquals(0, repositories.apiKeys().countWorkingOwnedBy(acme.id(), given.user("Dave").id(), NOW));
        assertEquals(List.of(organizations.id()), ids(acme, com.orgkeys.domain.apikey.ApiKeySubject.ORGANIZATION));
        assertEquals(java.util.Set.copyOf(bobs.secretHashes()),
                java.util.Set.copyOf(repositories.apiKeys().forgetOwnedBy(acme.id(), bob.id())));
        assertEquals(java.util.Set.of(bobs.secretHash(), carols.secretHash()), java.util.Set.copyOf(
                repositories.apiKeys().forgetOwnedByHoldersOf(acme.id(), com.orgkeys.domain.membership.RoleKey.MEMBER)));
        assertEquals(List.of(), repositories.apiKeys().forgetOwnedByHoldersOf(acme.id(), com.orgkeys.domain.membership.RoleKey.ADMIN));

        List<ApiKey> revoked = repositories.apiKeys().revokeOwnedBy(bob.id(), Optional.of(acme.id()), "owner_left", NOW);

        assertEquals(List.of(bobs.id()), revoked.stream().map(ApiKey::id).toList());
        assertEquals(Optional.of("owner_left"), revoked.getFirst().revocationReason());
        assertEquals(ApiKeyStatus.REVOKED, repositories.apiKeys().find(acme.id(), bobs.id()).orElseThrow().statusAt(NOW));
        assertEquals(ApiKeyStatus.ACTIVE, repositories.apiKeys().find(other.id(), bobsElsewhere.id()).orElseThrow().statusAt(NOW));
        assertEquals(ApiKeyStatus.ACTIVE, repositories.apiKeys().find(acme.id(), carols.id()).orElseThrow().statusAt(NOW));
        assertEquals(List.of(), repositories.apiKeys().forgetOwnedBy(acme.id(), bob.id()), "a revoked key stays forgotten");
        assertEquals(List.of(), repositories.apiKeys().revokeOwnedBy(bob.id(), Optional.of(acme.id()), "owner_left", NOW),
                "the first revocation stands");

        assertEquals(0, repositories.apiKeys().countWorkingOwnedBy(acme.id(), bob.id(), NOW), "revoked: not counted");
        assertEquals(1, repositories.apiKeys().countWorkingOwnedBy(other.id(), bob.id(), NOW));
        List<ApiKey> everywhere = repositories.apiKeys().revokeOwnedBy(bob.id(), Optional.empty(), "owner_deleted", NOW);
        assertEquals(List.of(bobsElsewhere.id()), everywhere.stream().map(ApiKey::id).toList());
    }

    @Test
    public void a_users_key_held_back_by_the_two_factor_requirement_has_no_scopes_until_they_have_a_second_factor() {
        Organization acme = given.organization("Acme");
        com.orgkeys.domain.account.User bob = given.user("Bob");
        given.member(acme, bob, com.orgkeys.domain.membership.RoleKey.MEMBER, T0);
        ApiKey mine = insertOwned(acme, bob, "Bob's own");
        ApiKey organizations = given.apiKey(acme, "Acme's", T0);
        assertEquals(mine.scopes(), repositories.apiKeys().findByHash(mine.secretHash()).orElseThrow().scopes());

        repositories.organizations().update(acme.withTwoFactorRequired(true));

        assertEquals(java.util.Set.of(), repositories.apiKeys().findByHash(mine.secretHash()).orElseThrow().scopes(),
                "as Bob's session: held back until he has a second factor");
        assertEquals(java.util.Set.of(), repositories.apiKeys().findByHashes(List.of(mine.secretHash()))
                .get(mine.secretHash()).scopes());
        assertEquals(organizations.scopes(), repositories.apiKeys().findByHash(organizations.secretHash()).orElseThrow()
                .scopes(), "an organization's key is not a member's session");
        assertEquals(List.of(mine.secretHash()), repositories.apiKeys().forgetOwnedIn(acme.id()));
        assertEquals(List.of(mine.secretHash()), repositories.apiKeys().forgetAllOwnedBy(bob.id()));

        var secret = new com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret(1, new byte[]{1, 2, 3});
        assertTrue(repositories.twoFactors().savePendingTotp(com.orgkeys.domain.twofactor.TotpFactor.pending(bob.id(), secret, T0)));
        assertEquals(java.util.Set.of(), repositories.apiKeys().findByHash(mine.secretHash()).orElseThrow().scopes(),
                "an app not yet confirmed is no factor");
        assertTrue(repositories.twoFactors().confirmTotp(bob.id(), secret, 1, T0));
        assertEquals(mine.scopes(), repositories.apiKeys().findByHash(mine.secretHash()).orElseThrow().scopes());
    }

    private ApiKey insertOwned(Organization organization, com.orgkeys.domain.account.User owner, String name) {
        ApiKey key = Fixtures.newApiKey(organization, name, "", T0, Optional.empty()).ownedBy(owner.id());
        repositories.apiKeys().insert(key);
        return key;
    }

    private List<ApiKeyId> ids(Organization organization, com.orgkeys.domain.apikey.ApiKeySubject subject) {
        return repositories.apiKeys().page(organization.id(), new Filter(null, null, NOW, subject), PageRequest.first(10))
                .data().stream().map(ApiKey::id).toList();
    }

    private List<ApiKeyId> ids(Organization organization, ApiKeyStatus status) {
        return repositories.apiKeys().page(organization.id(), new Filter(null, status, NOW), PageRequest.first(10)).data()
                .stream().map(ApiKey::id).toList();
    }
}
