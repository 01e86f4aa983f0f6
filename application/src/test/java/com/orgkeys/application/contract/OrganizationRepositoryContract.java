package com.orgkeys.application.contract;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class OrganizationRepositoryContract extends RepositoryContract {
    @Test
    public void inserted_organization_is_found_and_its_slug_exists() {
        Organization acme = Fixtures.newOrganization("Acme, Inc.", "acme-inc");
        repositories.organizations().insert(acme);

        assertEquals(Optional.of(acme), repositories.organizations().findById(acme.id()));
        assertTrue(repositories.organizations().slugExists(new Slug("acme-inc")));
        assertFalse(repositories.organizations().slugExists(new Slug("acme")));
        assertEquals(Optional.empty(), repositories.organizations().findById(OrganizationId.random()));
    }

    @Test
    public void taken_slug_is_a_conflict_on_insert() {
        repositories.organizations().insert(Fixtures.newOrganization("Acme", "acme"));
        Organization copycat = Fixtures.newOrganization("Acme 2", "acme");

        var e = assertThrows(ConflictException.class, () -> repositories.organizations().insert(copycat));
        assertEquals("Slug is taken.", e.getMessage());
        assertEquals(Optional.empty(), repositories.organizations().findById(copycat.id()));
    }

    @Test
    public void an_organization_is_found_by_its_slug() {
        Organization acme = Fixtures.newOrganization("Acme", "acme-by-slug");
        repositories.organizations().insert(acme);

        assertEquals(Optional.of(acme), repositories.organizations().findBySlug(new Slug("acme-by-slug")));
        assertEquals(Optional.empty(), repositories.organizations().findBySlug(new Slug("no-such-slug")));
    }

    @Test
    public void the_instance_list_pages_in_each_order_and_finds_a_text_in_the_name_or_slug() {
        String tag = "t" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Organization a = new Organization(OrganizationId.random(), "B " + tag, new Slug("b-" + tag), at(Duration.ofDays(1)));
        Organization b = new Organization(OrganizationId.random(), "A " + tag, new Slug("a-" + tag), at(Duration.ofDays(2)));
        Organization c = new Organization(OrganizationId.random(), "C plain", new Slug("c-" + tag), at(Duration.ofDays(3)));
        List.of(a, b, c).forEach(repositories.organizations()::insert);
        repositories.organizations().insert(Fixtures.newOrganization("Unrelated", "unrelated-" + tag.substring(1)));
        var organizations = repositories.organizations();
        Optional<String> text = Optional.of(tag.toUpperCase());

        var newest = organizations.page(text, OrganizationOrder.NEWEST_FIRST, new PageRequest(1, 2));
        assertEquals(3, newest.totalCount(), "in the name or, for c, the slug; case-insensitive");
        assertEquals(List.of(c, b), newest.data());
        assertEquals(List.of(a), organizations.page(text, OrganizationOrder.NEWEST_FIRST, new PageRequest(2, 2)).data());
        assertEquals(List.of(a, b, c), organizations.page(text, OrganizationOrder.OLDEST_FIRST, new PageRequest(1, 10)).data());
        assertEquals(List.of(b, a, c), organizations.page(text, OrganizationOrder.NAME, new PageRequest(1, 10)).data());
        assertEquals(List.of(c, a, b), organizations.page(text, OrganizationOrder.NAME_DESCENDING, new PageRequest(1, 10)).data());
        assertEquals(0, organizations.page(Optional.of("%"), OrganizationOrder.NAME, new PageRequest(1, 10)).totalCount(),
                "no wildcard: a % matches only a % (no name or slug has one)");
        assertTrue(organizations.page(Optional.empty(), OrganizationOrder.NEWEST_FIRST, new PageRequest(1, 100))
                .totalCount() >= 4);
    }

    @Test
    public void update_stores_the_new_name_and_slug() {
        Organization acme = given.organization("Acme");
        Organization renamed = acme.rename("Acme Corp").withSlug(new Slug("acme-corp"));

        repositories.organizations().update(renamed);

        assertEquals(Optional.of(renamed), repositories.organizations().findById(acme.id()));
        assertTrue(repositories.organizations().slugExists(new Slug("acme-corp")));
        assertFalse(repositories.organizations().slugExists(acme.slug()));
    }

    @Test
    public void requiring_two_factor_sign_in_is_stored_and_read_back_everywhere_the_organization_is() {
        Organization acme = given.organization("Acme");
        assertFalse(repositories.organizations().findById(acme.id()).orElseThrow().twoFactorRequired(), "off at first");
        User alice = given.user("Alice");
        given.member(acme, alice, RoleKey.ADMIN, T0);

        repositories.organizations().update(acme.withTwoFactorRequired(true));

        assertTrue(repositories.organizations().findById(acme.id()).orElseThrow().twoFactorRequired());
        assertTrue(repositories.memberships().listForUser(alice.id()).getFirst().organization().twoFactorRequired());
        repositories.organizations().update(acme.withTwoFactorRequired(false));
        assertEquals(Optional.of(acme), repositories.organizations().findById(acme.id()));
    }

    @Test
    public void keeping_its_own_slug_is_no_conflict() {
        Organization acme = given.organization("Acme");

        repositories.organizations().update(acme.rename("Acme Corp"));

        assertEquals("Acme Corp", repositories.organizations().findById(acme.id()).orElseThrow().name());
    }

    @Test
    public void taken_slug_is_a_conflict_on_update() {
        Organization acme = Fixtures.newOrganization("Acme", "acme");
        Organization globex = Fixtures.newOrganization("Globex", "globex");
        repositories.organizations().insert(acme);
        repositories.organizations().insert(globex);

        var e = assertThrows(ConflictException.class,
                () -> repositories.organizations().update(globex.withSlug(new Slug("acme"))));
        assertEquals("Slug is taken.", e.getMessage());
        assertEquals(Optional.of(globex), repositories.organizations().findById(globex.id()));
    }

    @Test
    public void deleting_an_organization_removes_its_data_and_leaves_other_organizations_alone() {
        User alice = given.user("Alice");
        Organization doomed = given.organization("Doomed");
        Organization other = given.organization("Other");
        for (Organization organization : List.of(doomed, other)) {
            given.member(organization, alice, RoleKey.ADMIN, T0);
            given.role(organization, "org:billing");
            given.invitation(organization, alice, "bob@example.com", T0);
            given.auditEvent(organization, "organization.created", T0);
        }
        ApiKey first = given.apiKey(doomed, "first", T0);
        ApiKey second = given.apiKey(doomed, "second", T0);
        ApiKey kept = given.apiKey(other, "kept", T0);
        // a rotated key is found by its previous secret too, during the grace period: that one is evicted as well
        ApiKey rotated = second.rotate("hash-rotated", "ok_…9999", Duration.ofDays(1), at(Duration.ofMinutes(1)));
        assertTrue(repositories.apiKeys().rotate(rotated, second.secretHash(), List.of()));

        List<String> deletedKeys = repositories.organizations().delete(doomed.id());

        assertEquals(Set.of(first.secretHash(), second.secretHash(), "hash-rotated"), Set.copyOf(deletedKeys),
                "to evict from caches");
        assertEquals(Optional.empty(), repositories.apiKeys().findByHash(first.secretHash()));
        assertTrue(repositories.apiKeys().findByHash(kept.secretHash()).isPresent());

        Instant now = at(Duration.ofHours(1));
        assertEquals(Optional.empty(), repositories.organizations().findById(doomed.id()));
        assertEquals(Optional.empty(), repositories.memberships().find(doomed.id(), alice.id()));
        assertEquals(List.of(), repositories.roles().list(doomed.id()));
        assertEquals(List.of(), repositories.invitations().listPending(doomed.id(), now));
        assertEquals(0, repositories.auditLog().page(doomed.id(), PageRequest.first(10)).totalCount());

        assertTrue(repositories.organizations().findById(other.id()).isPresent());
        assertTrue(repositories.memberships().find(other.id(), alice.id()).isPresent());
        assertEquals(1, repositories.roles().list(other.id()).size());
        assertEquals(1, repositories.invitations().listPending(other.id(), now).size());
        assertEquals(1, repositories.auditLog().page(other.id(), PageRequest.first(10)).totalCount());
        assertEquals(List.of(other.id()), repositories.memberships().listForUser(alice.id()).stream()
                .map(u -> u.organization().id()).toList());
        assertTrue(repositories.users().findById(alice.id()).isPresent());
    }

    @Test
    public void a_new_organization_has_empty_metadata_which_is_replaced_whole_and_deleted_with_it() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        assertEquals(Optional.of(OrganizationMetadata.EMPTY), repositories.organizations().metadata(acme.id()));

        OrganizationMetadata metadata = new OrganizationMetadata(UserRepositoryContract.one("plan", "pro"),
                UserRepositoryContract.one("stripe", "cus_1"));
        assertTrue(repositories.organizations().updateMetadata(acme.id(), metadata));

        assertEquals(Optional.of(metadata), repositories.organizations().metadata(acme.id()));
        assertEquals(Optional.of(metadata), repositories.transactions().inTransaction(
                () -> repositories.organizations().lockMetadata(acme.id())));
        assertEquals(Optional.of(OrganizationMetadata.EMPTY), repositories.organizations().metadata(other.id()));
        assertFalse(repositories.organizations().updateMetadata(OrganizationId.random(), metadata));
        assertEquals(Optional.empty(), repositories.organizations().metadata(OrganizationId.random()));
        assertEquals(Optional.empty(), repositories.transactions().inTransaction(
                () -> repositories.organizations().lockMetadata(OrganizationId.random())));

        repositories.organizations().delete(acme.id());
        assertEquals(Optional.empty(), repositories.organizations().metadata(acme.id()));
    }

    @Test
    public void the_metadata_of_a_page_of_organizations_is_read_at_once_leaving_out_those_that_do_not_exist() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        OrganizationMetadata metadata = new OrganizationMetadata(UserRepositoryContract.one("plan", "pro"),
                UserRepositoryContract.one("stripe", "cus_1"));
        repositories.organizations().updateMetadata(acme.id(), metadata);
        OrganizationId missing = OrganizationId.random();

        assertEquals(java.util.Map.of(acme.id(), metadata, other.id(), OrganizationMetadata.EMPTY),
                repositories.organizations().metadata(List.of(acme.id(), other.id(), missing)));
        assertEquals(java.util.Map.of(), repositories.organizations().metadata(List.of()));
    }

    @Test
    public void locking_an_organization_inside_a_transaction_succeeds() {
        Organization acme = given.organization("Acme");

        Optional<Organization> seen = repositories.transactions().inTransaction(() -> {
            repositories.organizations().lock(acme.id());
            return repositories.organizations().findById(acme.id());
        });

        assertEquals(Optional.of(acme), seen);
    }

    @Test
    public void locking_an_unknown_organization_is_not_found() {
        assertThrows(NotFoundException.class, () -> repositories.transactions().inTransaction(
                () -> repositories.organizations().lock(OrganizationId.random())));
    }

    @Test
    public void a_transaction_that_fails_leaves_nothing_behind() {
        Organization acme = Fixtures.newOrganization("Acme", "acme");

        assertThrows(IllegalStateException.class, () -> repositories.transactions().inTransaction(() -> {
            repositories.organizations().insert(acme);
            throw new IllegalStateException("boom");
        }));

        assertEquals(Optional.empty(), repositories.organizations().findById(acme.id()));
        assertFalse(repositories.organizations().slugExists(new Slug("acme")));
    }
}
