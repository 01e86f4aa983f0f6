package com.orgkeys.application.invitation.port.out;

import com.orgkeys.domain.account.Email;

/** Sends the messages orgkeys sends: for now, invitations. */
public interface Mailer {
    void sendInvitation(Email to, String organizationName, String acceptUrl);
}
