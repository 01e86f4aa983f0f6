package com.orgkeys.http.invitation;

import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;

/** Invitations of the active organization, and accepting one. */
public final class InvitationRoutes {
    record CreateRequest(String email, String role) {
    }

    record AcceptRequest(String token) {
    }

    record InvitationJson(String id, String email, String role, Instant createdAt, Instant expiresAt, String acceptUrl) {
        static InvitationJson of(Invitation i, String acceptUrl) {
            return new InvitationJson(i.id().toString(), i.email().value(), i.role().value(), i.createdAt(),
                    i.expiresAt(), acceptUrl);
        }
    }

    record AcceptedInvitationJson(String organizationId, String role, Instant joinedAt) {
        static AcceptedInvitationJson of(Membership m) {
            return new AcceptedInvitationJson(m.organizationId().toString(), m.role().value(), m.joinedAt());
        }
    }

    private final ManageInvitationsUseCase invitations;
    private final Authenticator auth;

    public InvitationRoutes(ManageInvitationsUseCase invitations, Authenticator auth) {
        this.invitations = invitations;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post("/api/invitations", Access.USER, this::create);
        router.get("/api/invitations", Access.USER, this::list);
        router.delete("/api/invitations/{id}", Access.USER, this::revoke);
        router.post("/api/invitations/accept", Access.USER, this::accept);
    }

    private void create(HttpCall call) {
        var caller = auth.requireCaller(call);
        CreateRequest body = call.body(CreateRequest.class);
        var created = invitations.createInvitation(caller,
                new ManageInvitationsUseCase.CreateInvitationCommand(body.email(), body.role()));
        call.json(201, InvitationJson.of(created.invitation(), created.acceptUrl()));
    }

    private void list(HttpCall call) {
        // The token is only in the mailed link; listing shows no link (revoke and invite again to resend).
        call.json(200, new JsonBodies.ListJson<>(invitations.listPendingInvitations(auth.requireCaller(call)).stream()
                .map(i -> InvitationJson.of(i, null)).toList()));
    }

    private void revoke(HttpCall call) {
        invitations.revokeInvitation(auth.requireCaller(call),
                Requests.pathId(call, "id", InvitationId::new, "No invitation"));
        call.noContent();
    }

    private void accept(HttpCall call) {
        var caller = auth.requireUser(call);
        AcceptRequest body = call.body(AcceptRequest.class);
        call.json(200, AcceptedInvitationJson.of(invitations.acceptInvitation(caller, body.token())));
    }
}
