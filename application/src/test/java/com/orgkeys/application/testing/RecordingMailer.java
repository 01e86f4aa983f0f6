package com.orgkeys.application.testing;

import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.port.out.Mail;
import com.orgkeys.application.mail.port.out.Mailer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Keeps every message instead of sending it, for tests that check what was sent. */
public final class RecordingMailer implements Mailer {
    private final List<Mail> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(Mail mail) {
        sent.add(mail);
    }

    public List<Mail> sent() {
        return List.copyOf(sent);
    }

    public List<InvitationMail> invitations() {
        return sent.stream().filter(InvitationMail.class::isInstance).map(InvitationMail.class::cast).toList();
    }

    /**
     * The invitation mails matching {@code wanted} once there is at least one (the outbox worker sends them in the
     * background), polling for at most {@code timeout}; an AssertionError if none came.
     */
    public List<InvitationMail> awaitInvitations(Predicate<InvitationMail> wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<InvitationMail> found = invitations().stream().filter(wanted).toList();
            if (!found.isEmpty()) return found;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("no such invitation mail within " + timeout);
            try {
                Thread.sleep(10); // a poll interval, not a wait for the result: the loop has the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The first mail of {@code type} matching {@code wanted}, polling for at most {@code timeout}. */
    public <M extends Mail> M await(Class<M> type, Predicate<M> wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            var found = sent.stream().filter(type::isInstance).map(type::cast).filter(wanted).findFirst();
            if (found.isPresent()) return found.get();
            if (Instant.now().isAfter(deadline)) throw new AssertionError("no such " + type.getSimpleName() + " within " + timeout);
            try {
                Thread.sleep(10); // a poll interval, not a wait for the result: the loop has the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
