package com.orgkeys.http.organization;

import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.JsonBodies.OrganizationJson;

import java.util.Optional;

/** Organizations, the session's active organization, and the active organization's profile. */
public final class OrganizationRoutes {
    record CreateRequest(String name, String slug) {
    }

    record UpdateRequest(String name, String slug, Boolean twoFactorRequired) {
    }

    record SwitchRequest(String organizationId) {
    }

    record ActiveOrganizationJson(String activeOrganizationId, OrganizationJson organization) {
    }

    private final ManageOrganizationsUseCase organizations;
    private final Authenticator auth;

    public OrganizationRoutes(ManageOrganizationsUseCase organizations, Authenticator auth) {
        this.organizations = organizations;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post("/api/organizations", Access.USER, this::create);
        router.get("/api/organizations", Access.USER, this::list);
        router.put("/api/session/active-organization", Access.USER, this::switchActive);
        router.get("/api/organization", Access.USER_OR_API_KEY, this::get);
        router.patch("/api/organization", Access.USER, this::update);
        router.delete("/api/organization", Access.USER, this::delete);
    }

    private void create(HttpCall call) {
        var caller = auth.requireUser(call);
        CreateRequest body = call.body(CreateRequest.class);
        Organization created = organizations.createOrganization(caller,
                new ManageOrganizationsUseCase.CreateOrganizationCommand(body.name(), Optional.ofNullable(body.slug())));
        call.setHeader("Location", "/api/organization");
        call.json(201, OrganizationJson.of(created));
    }

    private void list(HttpCall call) {
        call.json(200, new JsonBodies.ListJson<>(organizations.listMyOrganizations(auth.requireUser(call)).stream()
                .map(OrganizationJson::of).toList()));
    }

    private void switchActive(HttpCall call) {
        var caller = auth.requireUser(call);
        SwitchRequest body = call.body(SwitchRequest.class);
        if (body.organizationId() == null) throw new InvalidInputException("organizationId", "is required");
        Organization organization = organizations.switchActiveOrganization(caller,
                OrganizationId.parse(body.organizationId()));
        call.json(200, new ActiveOrganizationJson(organization.id().toString(), OrganizationJson.of(organization)));
    }

    private void get(HttpCall call) {
        var caller = auth.requireCaller(call);
        // a member (or an API key of the organization) sees its public metadata, never the private one
        call.json(200, OrganizationJson.of(organizations.getOrganization(caller), organizations.getPublicMetadata(caller)));
    }

    private void update(HttpCall call) {
        var caller = auth.requireUser(call);
        UpdateRequest body = call.body(UpdateRequest.class);
        call.json(200, OrganizationJson.of(organizations.updateOrganization(caller,
                new ManageOrganizationsUseCase.UpdateOrganizationCommand(Optional.ofNullable(body.name()),
                        Optional.ofNullable(body.slug()), Optional.ofNullable(body.twoFactorRequired())))));
    }

    private void delete(HttpCall call) {
        organizations.deleteOrganization(auth.requireCaller(call));
        call.noContent();
    }
}
