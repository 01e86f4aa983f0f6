package com.orgkeys.persistence.organization;

import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.apikey.listener.RevocationFeed;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.metadata.JacksonMetadataJson;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcOrganizationRepository implements OrganizationRepository {
    private final Jdbc jdbc;

    public JdbcOrganizationRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Organization organization) {
        try {
            jdbc.update("INSERT INTO organizations (id, name, slug, created_at, two_factor_required) VALUES (?, ?, ?, ?, ?)",
                    organization.id().value(), organization.name(), organization.slug().value(),
                    organization.createdAt(), organization.twoFactorRequired());
        } catch (ConflictException e) {
            throw slugTaken();
        }
    }

    @Override
    public Optional<Organization> findById(OrganizationId id) {
        return jdbc.one("SELECT id, name, slug, created_at, two_factor_required FROM organizations WHERE id = ?",
                JdbcOrganizationRepository::organization, id.value());
    }

    @Override
    public Optional<Organization> findBySlug(Slug slug) {
        return jdbc.one("SELECT id, name, slug, created_at, two_factor_required FROM organizations WHERE slug = ?",
                JdbcOrganizationRepository::organization, slug.value());
    }

    /**
     * The instance's operator lists organizations rarely and by offset: a plain scan with strpos (no LIKE pattern,
     * so no wildcard in the text needs escaping); the count stops at the cap, as every list's does.
     */
    @Override
    public Page<Organization> page(Optional<String> text, OrganizationOrder order, PageRequest page) {
        String where = text.isPresent() ? " WHERE strpos(lower(name || ' ' || slug), lower(?)) > 0" : "";
        String orderBy = switch (order) {
            case NEWEST_FIRST -> "created_at DESC, id DESC";
            case OLDEST_FIRST -> "created_at, id";
            case NAME -> "name, id";
            case NAME_DESCENDING -> "name DESC, id DESC";
        };
        List<Object> params = new ArrayList<>();
        text.ifPresent(params::add);
        long total = jdbc.count("SELECT count(*) FROM (SELECT 1 FROM organizations" + where + " LIMIT "
                + (Page.COUNT_CAP + 1) + ") capped", params.toArray());
        params.add(page.pageSize());
        params.add(page.offset());
        List<Organization> rows = jdbc.list("SELECT id, name, slug, created_at, two_factor_required FROM organizations"
                + where + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?", JdbcOrganizationRepository::organization,
                params.toArray());
        boolean exact = total <= Page.COUNT_CAP;
        return new Page<>(rows, Math.min(total, Page.COUNT_CAP), exact, Optional.empty(), Optional.empty());
    }

    @Override
    public boolean slugExists(Slug slug) {
        return jdbc.count("SELECT count(*) FROM organizations WHERE slug = ?", slug.value()) > 0;
    }

    @Override
    public void update(Organization organization) {
        try {
            jdbc.update("UPDATE organizations SET name = ?, slug = ?, two_factor_required = ? WHERE id = ?",
                    organization.name(), organization.slug().value(), organization.twoFactorRequired(),
                    organization.id().value());
        } catch (ConflictException e) {
            throw slugTaken();
        }
    }

    @Override
    public List<String> delete(OrganizationId id) {
        // The row lock first: a key inserted meanwhile (its foreign key check waits for this lock) cannot slip
        // between the list below and the delete, unlisted and so never evicted.
        if (!lockRow(id)) return List.of();
        // Its API keys stop working everywhere: every other process evicts them from its verification cache when
        // this commits (NOTIFY); this one is told by the caller, from the list returned. Memberships, roles,
        // invitations, keys, agents and audit events go with it (ON DELETE CASCADE).
        List<String> secretHashes = jdbc.list(RevocationFeed.forgetKeysWhere("k.organization_id = ?"),
                row -> row.getString("h"), id.value());
        jdbc.update("DELETE FROM organizations WHERE id = ?", id.value());
        return secretHashes;
    }

    @Override
    public void lock(OrganizationId id) {
        if (!lockRow(id)) throw new NotFoundException("No organization " + id + ".");
    }

    /** Locks the organization's row until the transaction ends; false when there is no such organization. */
    private boolean lockRow(OrganizationId id) {
        return !jdbc.list("SELECT 1 FROM organizations WHERE id = ? FOR UPDATE", row -> 1, id.value()).isEmpty();
    }

    @Override
    public Optional<OrganizationMetadata> metadata(OrganizationId id) {
        return jdbc.one("""
                SELECT public_metadata::text AS public_metadata, private_metadata::text AS private_metadata
                  FROM organizations WHERE id = ?""", JdbcOrganizationRepository::metadata, id.value());
    }

    @Override
    public Optional<OrganizationMetadata> lockMetadata(OrganizationId id) {
        return jdbc.one("""
                SELECT public_metadata::text AS public_metadata, private_metadata::text AS private_metadata
                  FROM organizations WHERE id = ? FOR UPDATE""", JdbcOrganizationRepository::metadata, id.value());
    }

    @Override
    public Map<OrganizationId, OrganizationMetadata> metadata(Collection<OrganizationId> ids) {
        Map<OrganizationId, OrganizationMetadata> found = new HashMap<>();
        if (ids.isEmpty()) return found;
        jdbc.list("""
                SELECT id, public_metadata::text AS public_metadata, private_metadata::text AS private_metadata
                  FROM organizations WHERE id = ANY(?::uuid[])""",
                row -> found.put(new OrganizationId(Jdbc.uuid(row, "id")), metadata(row)),
                ids.stream().map(OrganizationId::value).toList());
        return found;
    }

    @Override
    public boolean updateMetadata(OrganizationId id, OrganizationMetadata metadata) {
        return jdbc.update("UPDATE organizations SET public_metadata = ?::jsonb, private_metadata = ?::jsonb WHERE id = ?",
                metadata.publicMetadata().json(), metadata.privateMetadata().json(), id.value()) == 1;
    }

    private static OrganizationMetadata metadata(ResultSet row) throws SQLException {
        JacksonMetadataJson json = JacksonMetadataJson.INSTANCE;
        return new OrganizationMetadata(json.read(row.getString("public_metadata")),
                json.read(row.getString("private_metadata")));
    }

    private static ConflictException slugTaken() {
        return new ConflictException("Slug is taken.");
    }

    private static Organization organization(ResultSet row) throws SQLException {
        return new Organization(new OrganizationId(Jdbc.uuid(row, "id")), row.getString("name"),
                new Slug(row.getString("slug")), Jdbc.instant(row, "created_at"),
                row.getBoolean("two_factor_required"));
    }
}
