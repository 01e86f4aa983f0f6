package com.orgkeys.application.organization.port.out;

import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;

import java.util.List;
import java.util.Optional;

public interface OrganizationRepository {
    /** @throws com.orgkeys.domain.shared.ConflictException when the slug is taken */
    void insert(Organization organization);

    Optional<Organization> findById(OrganizationId id);

    boolean slugExists(Slug slug);

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
}
