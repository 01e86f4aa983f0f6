package com.orgkeys.application.testing;

import com.orgkeys.application.invitation.port.out.Mailer;
import com.orgkeys.domain.account.Email;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every message instead of sending it, for tests that check what was sent. */
public final class RecordingMailer implements Mailer {
    public record Invitation(Email to, String organizationName, String acceptUrl) {
    }

    private final List<Invitation> invitations = new CopyOnWriteArrayList<>();

    @Override
    public void sendInvitation(Email to, String organizationName, String acceptUrl) {
        invitations.add(new Invitation(to, organizationName, acceptUrl));
    }

    public List<Invitation> invitations() {
        return List.copyOf(invitations);
    }
}
