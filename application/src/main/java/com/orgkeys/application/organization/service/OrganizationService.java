package com.orgkeys.application.organization.service;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.application.shared.port.out.MetadataJson;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.membership.UserOrganization;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.metadata.Metadata;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.Text;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import static com.orgkeys.domain.shared.Validation.collect;
import static com.orgkeys.domain.shared.Validation.throwIfAny;

import java.security.SecureRandom;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.membership.Role;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public final class OrganizationService implements ManageOrganizationsUseCase {
    private static final SecureRandom random = new SecureRandom();

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final SessionRepository sessions;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final RevocationListener deletedKeys;
    private final Grants grants;
    private final TwoFactorRepository twoFactors;
    private final UserRepository users;
    private final MetadataJson json;
    private final WebhookEvents webhooks;
    /** The members' own API keys, held back with their sessions by the two-factor requirement; null: none here. */
    private final com.orgkeys.application.apikey.service.OwnedApiKeys ownedKeys;

    /** @param deletedKeys told, after the commit, of every API key deleted with an organization */
    public OrganizationService(OrganizationRepository organizations, MembershipRepository memberships, Grants grants,
                               SessionRepository sessions, TwoFactorRepository twoFactors, UserRepository users,
                               MetadataJson json, Audit audit, TransactionRunner tx, Clock clock,
                               RevocationListener deletedKeys) {
        this(organizations, memberships, grants, sessions, twoFactors, users, json, audit, tx, clock, deletedKeys,
                WebhookEvents.NONE);
    }

    /** @param webhooks told of every organization created, changed or deleted, in the change's transaction */
    public OrganizationService(OrganizationRepository organizations, MembershipRepository memberships, Grants grants,
                               SessionRepository sessions, TwoFactorRepository twoFactors, UserRepository users,
                               MetadataJson json, Audit audit, TransactionRunner tx, Clock clock,
                               RevocationListener deletedKeys, WebhookEvents webhooks) {
        this(organizations, memberships, grants, sessions, twoFactors, users, json, audit, tx, clock, deletedKeys,
                webhooks, null);
    }

    /** @param ownedKeys the members' own API keys, which the two-factor requirement holds back as their sessions */
    public OrganizationService(OrganizationRepository organizations, MembershipRepository memberships, Grants grants,
                               SessionRepository sessions, TwoFactorRepository twoFactors, UserRepository users,
                               MetadataJson json, Audit audit, TransactionRunner tx, Clock clock,
                               RevocationListener deletedKeys, WebhookEvents webhooks,
                               com.orgkeys.application.apikey.service.OwnedApiKeys ownedKeys) {
        this.webhooks = java.util.Objects.requireNonNull(webhooks, "webhooks");
        this.ownedKeys = ownedKeys;
        this.json = json;
        this.organizations = organizations;
        this.users = users;
        this.twoFactors = twoFactors;
        this.memberships = memberships;
        this.grants = grants;
        this.sessions = sessions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.deletedKeys = deletedKeys;
    }

    @Override
    public Organization createOrganization(UserCaller caller, CreateOrganizationCommand command) {
        return create(caller, caller.userId(), command, organization ->
                sessions.setActiveOrganization(caller.sessionId(), Optional.of(organization.id())));
    }

    @Override
    public Organization createOrganization(SecretKeyCaller caller, UserId createdBy, CreateOrganizationCommand command) {
        // the same organization the user would have made themselves: they are its admin (the operator may do
        // this for anyone, as Clerk's created_by); no session of theirs changes its active organization
        return create(caller, createdBy, command, organization -> {
            // inside the transaction: a user deleted meanwhile fails the membership's foreign key, not a later read
            if (users.findById(createdBy).isEmpty()) throw new NotFoundException("No user " + createdBy + ".");
            audit.record(caller, organization.id(), "member.added", createdBy.toString(), RoleKey.ADMIN.value());
        });
    }

    private Organization create(Caller caller, UserId admin, CreateOrganizationCommand command,
                                java.util.function.Consumer<Organization> alsoInTransaction) {
        requireBackendFor(caller, command.metadata());
        List<FieldError> errors = new ArrayList<>();
        String name = collect(errors, () -> Text.singleLine("name", command.name(), 100));
        Slug slug = command.slug().map(s -> collect(errors, () -> new Slug(s))).orElse(null);
        OrganizationMetadata metadata = collect(errors, () -> metadata(OrganizationMetadata.EMPTY, command.metadata(), false));
        throwIfAny(errors);
        boolean slugChosen = slug != null;
        Slug finalSlug = slugChosen ? slug : freeSlugFor(name);
        if (slugChosen && organizations.slugExists(finalSlug)) throw new ConflictException("The slug " + slug + " is taken.");
        Organization organization = new Organization(OrganizationId.random(), name, finalSlug, clock.instant());
        return tx.inTransaction(() -> {
            organizations.insert(organization);
            if (command.metadata().any()) organizations.updateMetadata(organization.id(), metadata);
            alsoInTransaction.accept(organization);
            memberships.insert(new Membership(organization.id(), admin, RoleKey.ADMIN, clock.instant()));
            audit.record(caller, organization.id(), "organization.created", organization.id().toString(),
                    "name=" + organization.name() + " slug=" + organization.slug());
            if (webhooks != WebhookEvents.NONE) {
                OrganizationMetadata stored = organizations.metadata(organization.id()).orElse(OrganizationMetadata.EMPTY);
                webhooks.record(Optional.of(organization.id()), "organization.created",
                        WebhookData.organization(organization, stored));
                memberships.findAll(organization.id(), java.util.Set.of(admin)).forEach(member -> webhooks.record(
                        Optional.of(organization.id()), "organizationMembership.created",
                        WebhookData.membership(member, organization, stored, Role.ADMIN.permissions())));
            }
            return organization;
        });
    }

    private Slug freeSlugFor(String name) {
        Slug base = Slug.fromName(name);
        if (!organizations.slugExists(base)) return base;
        for (int attempt = 0; attempt < 5; attempt++) {
            Slug candidate = base.withSuffix(HexFormat.of().toHexDigits((short) random.nextInt()).toLowerCase());
            if (!organizations.slugExists(candidate)) return candidate;
        }
        throw new ConflictException("Could not find a free slug for this name; choose one.");
    }

    @Override
    public List<Organization> listMyOrganizations(UserCaller caller) {
        return memberships.listForUser(caller.userId()).stream().map(UserOrganization::organization).toList();
    }

    @Override
    public Page<ListedOrganization> listAllOrganizations(SecretKeyCaller caller, Optional<String> text,
                                                         OrganizationOrder order, PageRequest page,
                                                         boolean withMembersCount) {
        java.util.Objects.requireNonNull(caller, "caller"); // the type is the permission: only the operator lists all
        Optional<String> search = text.map(t -> Text.singleLine("query", t, 100));
        return tx.inTransaction(() -> {
            Page<Organization> found = organizations.page(search, order, page);
            List<OrganizationId> ids = found.data().stream().map(Organization::id).toList();
            Map<OrganizationId, OrganizationMetadata> metadata = organizations.metadata(ids);
            Map<OrganizationId, Long> counts = withMembersCount ? memberships.countMembers(ids) : Map.of();
            // an organization deleted between the page and its metadata is listed with none, as it was a moment ago
            return found.map(o -> new ListedOrganization(o, metadata.getOrDefault(o.id(), OrganizationMetadata.EMPTY),
                    withMembersCount ? Optional.of(counts.getOrDefault(o.id(), 0L)) : Optional.empty()));
        });
    }

    @Override
    public Organization getOrganizationBySlug(SecretKeyCaller caller, String slug) {
        java.util.Objects.requireNonNull(caller, "caller");
        return organizations.findBySlug(new Slug(slug))
                .orElseThrow(() -> new NotFoundException("No organization " + slug + "."));
    }

    @Override
    public long countMembers(Caller caller) {
        return memberships.page(caller.require(Permission.MEMBERSHIPS_READ), PageRequest.first(1)).totalCount();
    }

    @Override
    public Organization switchActiveOrganization(UserCaller caller, OrganizationId organizationId) {
        memberships.find(organizationId, caller.userId())
                .orElseThrow(() -> new NotFoundException("No organization " + organizationId + "."));
        Organization organization = organizations.findById(organizationId)
                .orElseThrow(() -> new NotFoundException("No organization " + organizationId + "."));
        sessions.setActiveOrganization(caller.sessionId(), Optional.of(organizationId));
        return organization;
    }

    @Override
    public Organization getOrganization(Caller caller) {
        OrganizationId id = caller.requireOrganization();
        return organizations.findById(id).orElseThrow(() -> new NotFoundException("No organization " + id + "."));
    }

    @Override
    public Organization updateOrganization(Caller caller, UpdateOrganizationCommand command) {
        OrganizationId id = caller.require(Permission.PROFILE_MANAGE);
        requireBackendFor(caller, command.metadata());
        List<String> forget = new ArrayList<>();
        Organization result = tx.inTransaction(() -> {
            grants.lockAndRequire(caller, id, Permission.PROFILE_MANAGE);
            Organization current = organizations.findById(id)
                    .orElseThrow(() -> new NotFoundException("No organization " + id + "."));
            List<FieldError> errors = new ArrayList<>();
            String name = command.name().map(n -> collect(errors, () -> Text.singleLine("name", n, 100))).orElse(current.name());
            Slug slug = command.slug().map(s -> collect(errors, () -> new Slug(s))).orElse(current.slug());
            // Clerk's updateOrganization replaces each metadata object it is given (the merge is /metadata's)
            OrganizationMetadata metadata = command.metadata().any() ? collect(errors, () -> metadata(
                    organizations.lockMetadata(id).orElseThrow(() -> new NotFoundException("No organization " + id + ".")),
                    command.metadata(), false)) : null;
            throwIfAny(errors);
            if (metadata != null) {
                organizations.updateMetadata(id, metadata);
                audit.record(caller, id, "organization.metadata_updated", id.toString(), "replaced: " + fields(command.metadata()));
            }
            boolean twoFactorRequired = command.twoFactorRequired().orElse(current.twoFactorRequired());
            if (twoFactorRequired && !current.twoFactorRequired()) requireOwnSecondFactor(caller);
            Organization updated = current.rename(name).withSlug(slug).withTwoFactorRequired(twoFactorRequired);
            if (!updated.slug().equals(current.slug()) && organizations.slugExists(updated.slug())) {
                throw new ConflictException("The slug " + updated.slug() + " is taken.");
            }
            if (updated.equals(current)) {
                if (metadata != null) updatedEvent(current);
                return current;
            }
            organizations.update(updated);
            updatedEvent(updated);
            if (!updated.name().equals(current.name()) || !updated.slug().equals(current.slug())) {
                audit.record(caller, id, "organization.updated", id.toString(),
                        "name=" + updated.name() + " slug=" + updated.slug());
            }
            if (updated.twoFactorRequired() != current.twoFactorRequired()) {
                audit.record(caller, id, updated.twoFactorRequired() ? "organization.two_factor_required.enabled"
                        : "organization.two_factor_required.disabled", id.toString(), "");
                // the members' own keys act as their sessions would: held back, or no longer, from the next request
                if (ownedKeys != null) forget.addAll(ownedKeys.twoFactorPolicyChanged(id));
            }
            return updated;
        });
        if (ownedKeys != null) ownedKeys.forgetHere(forget);
        return result;
    }

    @Override
    public OrganizationMetadata getMetadata(SecretKeyCaller caller) {
        OrganizationId id = java.util.Objects.requireNonNull(caller, "caller").requireOrganization();
        return organizations.metadata(id).orElseThrow(() -> new NotFoundException("No organization " + id + "."));
    }

    @Override
    public Metadata getPublicMetadata(Caller caller) {
        // the organization the caller acts in (a member's session, an API key of it): its public object only
        OrganizationId id = caller.requireOrganization();
        return organizations.metadata(id).map(OrganizationMetadata::publicMetadata)
                .orElseThrow(() -> new NotFoundException("No organization " + id + "."));
    }

    @Override
    public OrganizationMetadata mergeMetadata(SecretKeyCaller caller, MetadataCommand command) {
        return changeMetadata(caller, command, true);
    }

    @Override
    public OrganizationMetadata replaceMetadata(SecretKeyCaller caller, MetadataCommand command) {
        return changeMetadata(caller, command, false);
    }

    private OrganizationMetadata changeMetadata(SecretKeyCaller caller, MetadataCommand command, boolean merge) {
        OrganizationId id = java.util.Objects.requireNonNull(caller, "caller").requireOrganization();
        // the shapes first, so that a malformed request is a 422 even for an organization that does not exist
        metadataChecked(() -> metadata(OrganizationMetadata.EMPTY, command, false));
        return tx.inTransaction(() -> {
            // the row lock serializes concurrent merges: each sees the one before
            OrganizationMetadata stored = organizations.lockMetadata(id)
                    .orElseThrow(() -> new NotFoundException("No organization " + id + "."));
            OrganizationMetadata next = metadataChecked(() -> metadata(stored, command, merge));
            organizations.updateMetadata(id, next);
            audit.record(caller, id, "organization.metadata_updated", id.toString(),
                    (merge ? "merged: " : "replaced: ") + fields(command));
            organizations.findById(id).ifPresent(this::updatedEvent);
            return next;
        });
    }

    /** Clerk lets only the backend write an organization's metadata; a member's request never carries it. */
    private static void requireBackendFor(Caller caller, MetadataCommand metadata) {
        if (metadata.any() && !(caller instanceof SecretKeyCaller)) {
            throw new ForbiddenException("Only the backend API (a secret key) sets an organization's metadata.");
        }
    }

    private static String fields(MetadataCommand command) {
        return Stream.of(command.publicMetadata().map(m -> "public_metadata"),
                command.privateMetadata().map(m -> "private_metadata")).flatMap(Optional::stream)
                .collect(Collectors.joining(", "));
    }

    private static OrganizationMetadata metadataChecked(Supplier<OrganizationMetadata> metadata) {
        List<FieldError> errors = new ArrayList<>();
        OrganizationMetadata result = collect(errors, metadata::get);
        throwIfAny(errors);
        return result;
    }

    /** {@code stored} with each given object merged into it or replacing it; each error names its field. */
    private OrganizationMetadata metadata(OrganizationMetadata stored, MetadataCommand command, boolean merge) {
        List<FieldError> errors = new ArrayList<>();
        Metadata pub = command.publicMetadata()
                .map(v -> collect(errors, () -> next(stored.publicMetadata(), "public_metadata", v, merge))).orElse(null);
        Metadata priv = command.privateMetadata()
                .map(v -> collect(errors, () -> next(stored.privateMetadata(), "private_metadata", v, merge))).orElse(null);
        throwIfAny(errors);
        OrganizationMetadata result = stored;
        if (pub != null) result = result.withPublic(pub);
        if (priv != null) result = result.withPrivate(priv);
        return result;
    }

    private Metadata next(Metadata stored, String field, Object value, boolean merge) {
        return merge ? stored.merge(field, value, json::write) : Metadata.of(field, value, json::write);
    }

    @Override
    public long countMembersWithoutSecondFactor(Caller caller) {
        OrganizationId id = caller.require(Permission.PROFILE_MANAGE);
        return tx.inTransaction(() -> memberships.countWithoutSecondFactor(id));
    }

    /** Whoever requires two-factor sign-in must have it, or the first request after would lock them out. */
    private void requireOwnSecondFactor(Caller caller) {
        boolean enabled = caller instanceof UserCaller user
                && twoFactors.factors(user.userId()).any();
        if (!enabled) {
            throw new ConflictException("Set up two-factor sign-in for your own account first (POST "
                    + "/api/account/two-factor/totp, then confirm it with a code, or add a passkey): requiring it now "
                    + "would lock you out of this organization.");
        }
    }

    @Override
    public void deleteOrganization(Caller caller) {
        OrganizationId id = caller.require(Permission.PROFILE_DELETE);
        // The audit trail goes with the organization: deleting means deleting everything it owned.
        List<String> secretHashes = tx.inTransaction(() -> {
            grants.lockAndRequire(caller, id, Permission.PROFILE_DELETE);
            // the organization's own endpoints and events go with it: the instance's endpoints hear of it
            organizations.findById(id).ifPresent(deleted -> webhooks.record(Optional.empty(), "organization.deleted",
                    WebhookData.deletedOrganization(deleted)));
            return organizations.delete(id);
        });
        // after the commit, as a revocation does: this process rejects the keys on the very next request instead
        // of when its own NOTIFY comes back, and no lookup racing the delete can cache a key as it was before
        secretHashes.forEach(deletedKeys::keyRevoked);
    }

    /** organization.updated, in the change's transaction, with the organization as stored now. */
    private void updatedEvent(Organization organization) {
        if (webhooks == WebhookEvents.NONE) return;
        webhooks.record(Optional.of(organization.id()), "organization.updated", WebhookData.organization(organization,
                organizations.metadata(organization.id()).orElse(OrganizationMetadata.EMPTY)));
    }
}
