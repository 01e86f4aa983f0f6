package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code user.*} and {@code session.*} webhook events, called by the account use cases inside their transaction.
 * They are the instance's events, not an organization's: instance-level endpoints receive them, an organization's
 * never do. Data that costs a read is read only when an endpoint receives the event.
 */
public final class AccountWebhooks {
    /** For services built without webhooks: records nothing. */
    public static final AccountWebhooks NONE = new AccountWebhooks(WebhookEvents.NONE, null, null);

    private final WebhookEvents webhooks;
    private final UserRepository users;
    private final SessionRepository sessions;

    /** @param users and {@code sessions} read for the events' data (null only with {@link WebhookEvents#NONE}) */
    public AccountWebhooks(WebhookEvents webhooks, UserRepository users, SessionRepository sessions) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.users = users;
        this.sessions = sessions;
    }

    public void userCreated(UserId id) {
        user("user.created", id);
    }

    /** Its name, email, verification or metadata changed. */
    public void userUpdated(UserId id) {
        user("user.updated", id);
    }

    public void userDeleted(UserId id) {
        webhooks.record(Optional.empty(), "user.deleted", WebhookData.deletedUser(id));
    }

    /** A sign-in opened {@code session}. */
    public void sessionCreated(Session session, Instant now) {
        webhooks.record(Optional.empty(), "session.created", WebhookData.session(session, now));
    }

    /** Its user signed out of the session (revoked at {@code now}). */
    public void sessionEnded(SessionId id, Instant now) {
        session("session.ended", id, now);
    }

    /** One session revoked by its user or the backend (revoked at {@code now}). */
    public void sessionRevoked(SessionId id, Instant now) {
        session("session.revoked", id, now);
    }

    /**
     * Sessions revoked together (a password changed or reset, a second factor enabled), as revoked: one event each,
     * for those that were still in use (one that had timed out already ended without an event).
     */
    public void sessionsRevoked(List<Session> revoked, Instant now) {
        for (Session session : revoked) {
            if (!session.expiresAt().isAfter(now)) continue;
            webhooks.record(Optional.empty(), "session.revoked", WebhookData.session(session, now));
        }
    }

    private void user(String type, UserId id) {
        webhooks.recordLazily(Optional.empty(), type, () -> WebhookData.user(users.profile(id).orElseThrow()));
    }

    private void session(String type, SessionId id, Instant now) {
        webhooks.recordLazily(Optional.empty(), type, () -> WebhookData.session(sessions.findById(id).orElseThrow(), now));
    }
}
