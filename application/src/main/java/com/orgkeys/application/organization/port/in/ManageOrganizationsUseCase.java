package com.orgkeys.application.organization.port.in;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.metadata.Metadata;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.List;
import java.util.Optional;

/** Organizations: create (the creator becomes admin and it becomes active), switch, read, change, delete. */
public interface ManageOrganizationsUseCase {
    /**
     * Clerk's two metadata objects of an organization, each a JSON object (a {@code Map}) or absent; only a backend
     * secret key sets them.
     */
    record MetadataCommand(Optional<Object> publicMetadata, Optional<Object> privateMetadata) {
        public static final MetadataCommand NONE = new MetadataCommand(Optional.empty(), Optional.empty());

        public MetadataCommand {
            java.util.Objects.requireNonNull(publicMetadata, "publicMetadata");
            java.util.Objects.requireNonNull(privateMetadata, "privateMetadata");
        }

        public boolean any() {
            return publicMetadata.isPresent() || privateMetadata.isPresent();
        }
    }

    /** {@code metadata}: the organization's first metadata objects (backend only). */
    record CreateOrganizationCommand(String name, Optional<String> slug, MetadataCommand metadata) {
        public CreateOrganizationCommand {
            java.util.Objects.requireNonNull(metadata, "metadata");
        }

        public CreateOrganizationCommand(String name, Optional<String> slug) {
            this(name, slug, MetadataCommand.NONE);
        }
    }

    /**
     * What to change; empty means unchanged. Requiring two-factor sign-in is refused (409) to a caller who has no
     * enabled second factor themselves, so that an admin cannot lock themselves out.
     */
    record UpdateOrganizationCommand(Optional<String> name, Optional<String> slug, Optional<Boolean> twoFactorRequired,
                                     MetadataCommand metadata) {
        public UpdateOrganizationCommand {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(slug, "slug");
            java.util.Objects.requireNonNull(twoFactorRequired, "twoFactorRequired");
            java.util.Objects.requireNonNull(metadata, "metadata");
        }

        public UpdateOrganizationCommand(Optional<String> name, Optional<String> slug, Optional<Boolean> twoFactorRequired) {
            this(name, slug, twoFactorRequired, MetadataCommand.NONE);
        }

        public UpdateOrganizationCommand(Optional<String> name, Optional<String> slug) {
            this(name, slug, Optional.empty());
        }
    }

    Organization createOrganization(UserCaller caller, CreateOrganizationCommand command);

    /**
     * For the instance's operator (a backend secret key): an organization whose first admin is {@code createdBy}, as
     * if that user had created it, without a session to switch. 404 when there is no such user.
     */
    Organization createOrganization(SecretKeyCaller caller, UserId createdBy, CreateOrganizationCommand command);

    List<Organization> listMyOrganizations(UserCaller caller);

    /** An organization as the instance's list shows it: with its metadata and, when asked for, its member count. */
    record ListedOrganization(Organization organization, OrganizationMetadata metadata, Optional<Long> membersCount) {
        public ListedOrganization {
            java.util.Objects.requireNonNull(organization, "organization");
            java.util.Objects.requireNonNull(metadata, "metadata");
            java.util.Objects.requireNonNull(membersCount, "membersCount");
        }
    }

    /**
     * Every organization of the instance, for its operator; {@code text}: in the name or slug. A page costs the same
     * few queries whatever its size (metadata and counts are read for the whole page at once).
     */
    Page<ListedOrganization> listAllOrganizations(SecretKeyCaller caller, Optional<String> text, OrganizationOrder order,
                                                  PageRequest page, boolean withMembersCount);

    /** For the instance's operator: the organization with {@code slug}; 404 when none. */
    Organization getOrganizationBySlug(SecretKeyCaller caller, String slug);

    /** How many members the caller's organization has (exact up to {@link Page#COUNT_CAP}). */
    long countMembers(Caller caller);

    /** Makes {@code organizationId} the session's active organization; 404 when the caller is not a member. */
    Organization switchActiveOrganization(UserCaller caller, OrganizationId organizationId);

    Organization getOrganization(Caller caller);

    Organization updateOrganization(Caller caller, UpdateOrganizationCommand command);

    /**
     * How many members have no second factor: those an organization that requires two-factor sign-in holds back.
     * For whoever may change that requirement ({@code org:sys_profile:manage}).
     */
    long countMembersWithoutSecondFactor(Caller caller);

    void deleteOrganization(Caller caller);

    /** The caller's organization's two metadata objects, for the instance's operator (a backend secret key). */
    OrganizationMetadata getMetadata(SecretKeyCaller caller);

    /** The caller's organization's public metadata: what any member (or API key) of it may read, never the private. */
    Metadata getPublicMetadata(Caller caller);

    /**
     * Clerk's {@code updateOrganizationMetadata}: each object given is deep-merged into the stored one (a null value
     * removes its key), under the organization's row lock so that concurrent merges each see the one before.
     */
    OrganizationMetadata mergeMetadata(SecretKeyCaller caller, MetadataCommand command);

    /** Clerk's {@code replaceOrganizationMetadata}: each object given replaces the stored one; those not given stay. */
    OrganizationMetadata replaceMetadata(SecretKeyCaller caller, MetadataCommand command);
}
