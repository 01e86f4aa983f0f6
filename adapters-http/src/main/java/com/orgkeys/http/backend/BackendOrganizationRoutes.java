package com.orgkeys.http.backend;

import com.orgkeys.application.membership.port.in.ManageMembersUseCase;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.CreateOrganizationCommand;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.ListedOrganization;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.MetadataCommand;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.UpdateOrganizationCommand;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.FieldNames;
import com.orgkeys.http.shared.JsonBodies;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Organizations and their memberships through the backend API, at the paths and in the shapes
 * {@code @clerk/backend} 3.25.0's {@code organizations} sends and parses. A backend secret key acts in the organization
 * the path names, through the same use cases (and so the same rules: last admin, roles of that organization, grants)
 * as the dashboard, audited as {@code secret_key:<id>}. Each organization has Clerk's public and private metadata
 * (JSON objects of at most 8 KB): set on create, replaced by update and {@code PUT .../metadata}, deep-merged by
 * {@code PATCH .../metadata}.
 */
public final class BackendOrganizationRoutes {
    static final FieldNames FIELDS = FieldNames.of("text", "query", "page", "offset", "pageSize", "limit");

    /** What {@code organizations.createOrganization} sends (snake_case). */
    record CreateRequest(String name, String slug, String created_by, Integer max_allowed_memberships,
                         Object public_metadata, Object private_metadata) {
    }

    /**
     * What {@code organizations.updateOrganization} sends without metadata (with it, the SDK calls PUT /metadata);
     * metadata sent here replaces the stored object as that would. Objects, not maps: a non-object is the service's
     * 422 naming the field, not a parse error.
     */
    record UpdateRequest(String name, String slug, Boolean admin_delete_enabled, Integer max_allowed_memberships,
                         Object public_metadata, Object private_metadata) {
    }

    /** What {@code updateOrganizationMetadata} (merge) and {@code replaceOrganizationMetadata} send. */
    record MetadataRequest(Object public_metadata, Object private_metadata) {
    }

    /** What {@code createOrganizationMembership} and {@code updateOrganizationMembership} send. */
    record MembershipRequest(String user_id, String role) {
    }

    record UpdateMembershipRequest(String role) {
    }

    /** Clerk's Organization resource. orgkeys has no images or membership limits: fixed values. */
    record OrganizationJson(String object, String id, String name, String slug, String image_url, boolean has_image,
                            long created_at, long updated_at, Map<String, Object> public_metadata,
                            Map<String, Object> private_metadata, int max_allowed_memberships,
                            boolean admin_delete_enabled, Long members_count, String created_by) {
        static OrganizationJson of(Organization o, OrganizationMetadata metadata, Long membersCount) {
            long created = o.createdAt().toEpochMilli();
            return new OrganizationJson("organization", o.id().toString(), o.name(), o.slug().value(), "", false,
                    created, created, metadata.publicMetadata().values(), metadata.privateMetadata().values(), 0, true,
                    membersCount, null);
        }
    }

    record DeletedJson(String object, String id, String slug, boolean deleted) {
    }

    record PublicUserDataJson(String identifier, String first_name, String last_name, String image_url,
                              boolean has_image, String user_id) {
    }

    /**
     * Clerk's OrganizationMembership. orgkeys keys a membership by organization and user; its {@code id} joins the
     * two ({@code <organization id>_<user id>}), and the paths take the user id as Clerk's do.
     */
    record MembershipJson(String object, String id, String role, List<String> permissions,
                          Map<String, Object> public_metadata, Map<String, Object> private_metadata, long created_at,
                          long updated_at, OrganizationJson organization, PublicUserDataJson public_user_data) {
        static MembershipJson of(Member m, Organization o, OrganizationMetadata metadata, Set<Permission> permissions) {
            long joined = m.joinedAt().toEpochMilli();
            return new MembershipJson("organization_membership", o.id() + "_" + m.userId(), m.role().value(),
                    JsonBodies.permissions(permissions), Map.of(), Map.of(), joined, joined, OrganizationJson.of(o, metadata, null),
                    new PublicUserDataJson(m.email().value(), m.name(), null, "", false, m.userId().toString()));
        }
    }

    record ListJson<T>(List<T> data, long total_count) {
    }

    private final ManageOrganizationsUseCase organizations;
    private final ManageMembersUseCase members;
    private final ManageRolesUseCase roles;
    private final Authenticator auth;

    public BackendOrganizationRoutes(ManageOrganizationsUseCase organizations, ManageMembersUseCase members,
                                     ManageRolesUseCase roles, Authenticator auth) {
        this.organizations = organizations;
        this.members = members;
        this.roles = roles;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/v1/organizations", Access.SECRET_KEY, this::list);
        router.post("/v1/organizations", Access.SECRET_KEY, this::create);
        router.get("/v1/organizations/{id}", Access.SECRET_KEY, this::get);
        router.patch("/v1/organizations/{id}", Access.SECRET_KEY, this::update);
        router.delete("/v1/organizations/{id}", Access.SECRET_KEY, this::delete);
        router.patch("/v1/organizations/{id}/metadata", Access.SECRET_KEY, this::mergeMetadata);
        router.put("/v1/organizations/{id}/metadata", Access.SECRET_KEY, this::replaceMetadata);
        router.get("/v1/organizations/{id}/memberships", Access.SECRET_KEY, this::listMemberships);
        router.post("/v1/organizations/{id}/memberships", Access.SECRET_KEY, this::createMembership);
        router.patch("/v1/organizations/{id}/memberships/{user_id}", Access.SECRET_KEY, this::updateMembership);
        router.delete("/v1/organizations/{id}/memberships/{user_id}", Access.SECRET_KEY, this::deleteMembership);
    }

    private void list(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        List<FieldError> errors = new ArrayList<>();
        int limit = BackendApiKeyRoutes.intParam(call, "limit", BackendApiKeyRoutes.DEFAULT_LIMIT, errors);
        int offset = BackendApiKeyRoutes.intParam(call, "offset", 0, errors);
        if (errors.isEmpty() && offset % limit != 0) errors.add(new FieldError("offset", "must be a multiple of limit"));
        boolean withCounts = booleanParam(call, "include_members_count", errors);
        OrganizationOrder order = switch (call.queryParam("order_by").orElse("-created_at")) {
            case "-created_at" -> OrganizationOrder.NEWEST_FIRST;
            case "created_at", "+created_at" -> OrganizationOrder.OLDEST_FIRST;
            case "name", "+name" -> OrganizationOrder.NAME;
            case "-name" -> OrganizationOrder.NAME_DESCENDING;
            default -> {
                errors.add(new FieldError("order_by", "must be created_at or name, with - for descending"));
                yield OrganizationOrder.NEWEST_FIRST;
            }
        };
        if (!call.queryParams().getOrDefault("organization_id", List.of()).isEmpty()) {
            errors.add(new FieldError("organization_id", "is not supported: get each organization by id"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Optional<String> query = call.queryParam("query").filter(q -> !q.isEmpty());
        Page<ListedOrganization> page = FIELDS.call(() -> organizations.listAllOrganizations(backend, query, order,
                new PageRequest(offset / limit + 1, limit), withCounts));
        call.json(200, new ListJson<>(page.data().stream()
                .map(o -> OrganizationJson.of(o.organization(), o.metadata(), o.membersCount().orElse(null)))
                .toList(), page.totalCount()));
    }

    private void create(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        CreateRequest body = call.body(CreateRequest.class);
        List<FieldError> errors = new ArrayList<>();
        refuseLimit(body.max_allowed_memberships(), errors);
        Optional<UserId> createdBy = userId(body.created_by(), "created_by", errors,
                "is required: the id of the user who becomes the organization's admin");
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Organization created = organizations.createOrganization(backend, createdBy.get(),
                new CreateOrganizationCommand(body.name(), Optional.ofNullable(body.slug()),
                        metadata(body.public_metadata(), body.private_metadata())));
        call.json(200, OrganizationJson.of(created, organizations.getMetadata(backend.in(created.id())), null));
    }

    private void get(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        List<FieldError> errors = new ArrayList<>();
        boolean withCount = booleanParam(call, "include_members_count", errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Organization organization = organization(call, backend);
        call.json(200, OrganizationJson.of(organization, organizations.getMetadata(backend.in(organization.id())),
                withCount ? organizations.countMembers(backend.in(organization.id())) : null));
    }

    private void update(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        OrganizationId id = organizationId(call);
        UpdateRequest body = call.body(UpdateRequest.class);
        List<FieldError> errors = new ArrayList<>();
        refuseLimit(body.max_allowed_memberships(), errors);
        if (Boolean.FALSE.equals(body.admin_delete_enabled())) {
            errors.add(new FieldError("admin_delete_enabled", "cannot be false: an orgkeys admin can always delete "
                    + "their organization"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Organization updated = organizations.updateOrganization(backend.in(id), new UpdateOrganizationCommand(
                Optional.ofNullable(body.name()), Optional.ofNullable(body.slug()), Optional.empty(),
                metadata(body.public_metadata(), body.private_metadata())));
        call.json(200, OrganizationJson.of(updated, organizations.getMetadata(backend.in(id)), null));
    }

    private void mergeMetadata(HttpCall call) {
        changeMetadata(call, true);
    }

    private void replaceMetadata(HttpCall call) {
        changeMetadata(call, false);
    }

    private void changeMetadata(HttpCall call, boolean merge) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        OrganizationId id = organizationId(call);
        MetadataRequest body = call.hasBody() ? call.body(MetadataRequest.class) : new MetadataRequest(null, null);
        MetadataCommand command = metadata(body.public_metadata(), body.private_metadata());
        SecretKeyCaller in = backend.in(id);
        OrganizationMetadata metadata = merge ? organizations.mergeMetadata(in, command)
                : organizations.replaceMetadata(in, command);
        call.json(200, OrganizationJson.of(organizations.getOrganization(in), metadata, null));
    }

    /** A JSON null is "not given", as Clerk's SDK leaves out what is undefined. */
    private static MetadataCommand metadata(Object publicMetadata, Object privateMetadata) {
        return new MetadataCommand(Optional.ofNullable(publicMetadata), Optional.ofNullable(privateMetadata));
    }

    private void delete(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        Organization organization = organizations.getOrganization(backend.in(organizationId(call)));
        // the product's own deletion: everything the organization owned goes, its keys stop working everywhere
        organizations.deleteOrganization(backend.in(organization.id()));
        call.json(200, new DeletedJson("organization", organization.id().toString(), organization.slug().value(), true));
    }

    private void listMemberships(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        Organization organization = organizations.getOrganization(backend.in(organizationId(call)));
        SecretKeyCaller in = backend.in(organization.id());
        List<FieldError> errors = new ArrayList<>();
        int limit = BackendApiKeyRoutes.intParam(call, "limit", BackendApiKeyRoutes.DEFAULT_LIMIT, errors);
        int offset = BackendApiKeyRoutes.intParam(call, "offset", 0, errors);
        if (errors.isEmpty() && offset % limit != 0) errors.add(new FieldError("offset", "must be a multiple of limit"));
        String orderBy = call.queryParam("order_by").orElse("created_at");
        if (!orderBy.equals("created_at") && !orderBy.equals("+created_at")) {
            errors.add(new FieldError("order_by", "must be created_at: members come oldest membership first"));
        }
        List<String> userIds = call.queryParams().getOrDefault("user_id", List.of());
        Set<UserId> users = new LinkedHashSet<>();
        for (String text : userIds) userId(text, "user_id", errors, "is required").ifPresent(users::add);
        if (users.size() > PageRequest.MAX_PAGE_SIZE) errors.add(new FieldError("user_id", "at most 100 at a time"));
        for (String unsupported : List.of("email_address", "phone_number", "username", "web3_wallet", "query",
                "email_address_query", "phone_number_query", "username_query", "name_query", "last_active_at_before",
                "last_active_at_after", "created_at_before", "created_at_after")) {
            if (call.queryParams().containsKey(unsupported)) errors.add(new FieldError(unsupported, "is not supported"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Set<String> roleFilter = new LinkedHashSet<>(call.queryParams().getOrDefault("role", List.of()));
        Map<String, Set<Permission>> permissions = permissionsByRole(in);
        List<Member> data;
        long total;
        if (!userIds.isEmpty()) {
            // the user_id filter of Clerk: those of them who are members (with one of the roles, when given)
            data = members.findMembers(in, users).stream()
                    .filter(m -> roleFilter.isEmpty() || roleFilter.contains(m.role().value())).toList();
            total = data.size();
            data = data.stream().skip(offset).limit(limit).toList();
        } else {
            Page<Member> page = FIELDS.call(() -> members.listMembers(in, roleFilter,
                    new PageRequest(offset / limit + 1, limit)));
            data = page.data();
            total = page.totalCount();
        }
        OrganizationMetadata metadata = organizations.getMetadata(in);
        call.json(200, new ListJson<>(data.stream().map(m -> MembershipJson.of(m, organization, metadata,
                permissions.getOrDefault(m.role().value(), Set.of()))).toList(), total));
    }

    private void createMembership(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        Organization organization = organizations.getOrganization(backend.in(organizationId(call)));
        SecretKeyCaller in = backend.in(organization.id());
        MembershipRequest body = call.body(MembershipRequest.class);
        List<FieldError> errors = new ArrayList<>();
        Optional<UserId> user = userId(body.user_id(), "user_id", errors, "is required");
        if (body.role() == null || body.role().isEmpty()) errors.add(new FieldError("role", "is required"));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Member added;
        try {
            added = members.addMember(in, user.get(), roleKey(body.role()));
        } catch (ConflictException e) {
            // Clerk's code for this case, so that a backend can tell it from other conflicts; the status stays the
            // product's 409 (nothing was written: the use case refused before inserting, or its insert rolled back)
            ClerkErrors.write(call, 409, "already_a_member_in_organization", "Already a member",
                    "The user is already a member of the organization.");
            return;
        }
        call.json(200, MembershipJson.of(added, organization, organizations.getMetadata(in), permissionsByRole(in).getOrDefault(added.role().value(), Set.of())));
    }

    private void updateMembership(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        Organization organization = organizations.getOrganization(backend.in(organizationId(call)));
        SecretKeyCaller in = backend.in(organization.id());
        UserId user = memberId(call);
        UpdateMembershipRequest body = call.body(UpdateMembershipRequest.class);
        if (body.role() == null || body.role().isEmpty()) throw new InvalidInputException("role", "is required");
        Member changed = members.changeRole(in, user, roleKey(body.role()));
        call.json(200, MembershipJson.of(changed, organization, organizations.getMetadata(in), permissionsByRole(in).getOrDefault(changed.role().value(), Set.of())));
    }

    private void deleteMembership(HttpCall call) {
        SecretKeyCaller backend = auth.requireSecretKey(call);
        Organization organization = organizations.getOrganization(backend.in(organizationId(call)));
        SecretKeyCaller in = backend.in(organization.id());
        UserId user = memberId(call);
        // Clerk answers with the membership removed: read it first (a concurrent removal makes the second a 404)
        Member member = members.findMembers(in, Set.of(user)).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("No member " + user + "."));
        Map<String, Set<Permission>> permissions = permissionsByRole(in);
        OrganizationMetadata metadata = organizations.getMetadata(in);
        members.removeMember(in, user);
        call.json(200, MembershipJson.of(member, organization, metadata, permissions.getOrDefault(member.role().value(), Set.of())));
    }

    /** The organization the path names, by id or (as {@code getOrganization({slug})} sends it) by slug. */
    private Organization organization(HttpCall call, SecretKeyCaller backend) {
        String text = call.pathParam("id");
        Optional<UUID> id = uuid(text);
        if (id.isPresent()) return organizations.getOrganization(backend.in(new OrganizationId(id.get())));
        try {
            return organizations.getOrganizationBySlug(backend, text);
        } catch (InvalidInputException e) {
            throw new NotFoundException("No organization " + text + ".");
        }
    }

    private static OrganizationId organizationId(HttpCall call) {
        String text = call.pathParam("id");
        return new OrganizationId(uuid(text).orElseThrow(() -> new NotFoundException("No organization " + text + ".")));
    }

    private static UserId memberId(HttpCall call) {
        String text = call.pathParam("user_id");
        return new UserId(uuid(text).orElseThrow(() -> new NotFoundException("No member " + text + ".")));
    }

    private static Optional<UUID> uuid(String text) {
        try {
            // UUID.fromString accepts shortened groups ("1-2-3-4-5"); only the canonical form is an id here
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<UserId> userId(String text, String field, List<FieldError> errors, String missing) {
        if (text == null || text.isEmpty()) {
            errors.add(new FieldError(field, missing));
            return Optional.empty();
        }
        Optional<UUID> id = uuid(text);
        if (id.isEmpty()) errors.add(new FieldError(field, "must be a user id"));
        return id.map(UserId::new);
    }

    /** Clerk's legacy role names to orgkeys' keys; every other key (org:member, org:billing…) as it is. */
    private static String roleKey(String role) {
        return switch (role) {
            case "admin" -> "org:admin";
            case "basic_member" -> "org:member";
            default -> role;
        };
    }

    private Map<String, Set<Permission>> permissionsByRole(SecretKeyCaller in) {
        Map<String, Set<Permission>> byKey = new HashMap<>();
        for (Role role : roles.listRoles(in)) byKey.put(role.key().value(), role.permissions());
        return byKey;
    }

    private static boolean booleanParam(HttpCall call, String name, List<FieldError> errors) {
        return switch (call.queryParam(name).orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(new FieldError(name, "must be true or false"));
                yield false;
            }
        };
    }

    /** Clerk's 0 is "no limit", orgkeys' only one. */
    private static void refuseLimit(Integer limit, List<FieldError> errors) {
        if (limit != null && limit != 0) {
            errors.add(new FieldError("max_allowed_memberships", "is not supported: orgkeys organizations have no "
                    + "membership limit (send 0 or leave it out)"));
        }
    }
}
