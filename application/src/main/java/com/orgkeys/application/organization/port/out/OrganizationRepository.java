package com.orgkeys.application.organization.port.out;

import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface OrganizationRepository {
    /** @throws com.orgkeys.domain.shared.ConflictException when the slug is taken */
    void insert(Organization organization);

    Optional<Organization> findById(OrganizationId id);

    Optional<Organization> findBySlug(Slug slug);

    boolean slugExists(Slug slug);

    /**
     * Every organization of the instance (for its operator, never for a tenant), those whose name or slug contains
     * {@code text} (case-insensitive) when given; counted up to {@link Page#COUNT_CAP}. Pages by number only.
     */
    Page<Organization> page(Optional<String> text, OrganizationOrder order, PageRequest page);

    /** @throws com.orgkeys.domain.shared.ConflictException when the new slug is taken */
    void update(Organization organization);

    /**
     * Deletes the organization and everything that belongs to it, and returns the secret hashes of the API keys
     * that went with it (so that verification caches can forget them). Keys created concurrently are either in
     * the list or were never committed.
     */
    List<String> delete(OrganizationId id);

    /**
     * Takes the organization's row lock until the transaction ends, so that concurrent membership changes
     * (e.g. two demotions of the last admins) run one after the other and see each other's result.
     */
    void lock(OrganizationId id);

    /** The organization's metadata; empty when there is no such organization. */
    Optional<OrganizationMetadata> metadata(OrganizationId id);

    /** The metadata of those of {@code ids} that exist, in one read (a page of organizations). */
    Map<OrganizationId, OrganizationMetadata> metadata(Collection<OrganizationId> ids);

    /**
     * The organization's metadata with its row locked until the transaction ends, so that concurrent merges run one
     * after the other and each sees the one before; empty when there is no such organization.
     */
    Optional<OrganizationMetadata> lockMetadata(OrganizationId id);

    /** Replaces both objects; false when there is no such organization. */
    boolean updateMetadata(OrganizationId id, OrganizationMetadata metadata);
}
