package com.orgkeys.application.invitation.port.in;

import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Membership;

import java.util.List;

/** Invite by email with a role; the invited user accepts with the token from the link. */
public interface ManageInvitationsUseCase {
    record CreateInvitationCommand(String email, String role) {
    }

    /** The invitation and the link that accepts it (the token is in the link and nowhere else). */
    record CreatedInvitation(Invitation invitation, String acceptUrl) {
    }

    CreatedInvitation createInvitation(Caller caller, CreateInvitationCommand command);

    List<Invitation> listPendingInvitations(Caller caller);

    void revokeInvitation(Caller caller, InvitationId id);

    /** Joins the invitation's organization (which becomes the session's active one). */
    Membership acceptInvitation(UserCaller caller, String token);

    /** The link for an invitation token, as sent by mail. */
    String acceptUrl(String token);
}
