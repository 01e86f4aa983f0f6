package com.orgkeys.application.invitation.port.in;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Membership;

import java.time.Instant;
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

    /** Where an invitation stands, as its link's holder is told. */
    enum InvitationState { PENDING, ACCEPTED, REVOKED, EXPIRED }

    /**
     * What the holder of an invitation link sees before answering it: the organization, who invited, the role's
     * name and the invited address. For an invitation that can no longer be answered only its state (the details
     * are nobody's business any more).
     */
    record InvitationPreview(InvitationState state, String organizationName, String inviterName, String roleName,
                             Email email, Instant expiresAt) {
        public boolean pending() {
            return state == InvitationState.PENDING;
        }
    }

    /** The invitation behind a link's token, for whoever holds the link (signed in or not). */
    InvitationPreview previewInvitation(String token);

    /** Turns the invitation down, as the invited address: it is no longer pending. */
    void declineInvitation(UserCaller caller, String token);

    /** Joins the invitation's organization (which becomes the session's active one). */
    Membership acceptInvitation(UserCaller caller, String token);

    /** The link for an invitation token, as sent by mail. */
    String acceptUrl(String token);
}
