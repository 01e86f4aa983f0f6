package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageAccountUseCase;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.mail.port.out.PasswordChangedMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.Password;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Text;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Changing one's own password and name. The current password is checked under the sign-in limits (a stolen
 * session must not become a password oracle), before the new one is hashed.
 */
public final class AccountSettingsService implements ManageAccountUseCase {
    private final UserRepository users;
    private final SessionRepository sessions;
    private final MembershipRepository memberships;
    private final PasswordHasher hasher;
    private final AccountThrottle throttle;
    private final MailOutbox mails;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final AccountWebhooks webhooks;

    public AccountSettingsService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                                  PasswordHasher hasher, AccountThrottle throttle, MailOutbox mails, Audit audit,
                                  TransactionRunner tx, Clock clock) {
        this(users, sessions, memberships, hasher, throttle, mails, audit, tx, clock, AccountWebhooks.NONE);
    }

    /** @param webhooks told of a changed name ({@code user.updated}) and of the sessions a new password ends */
    public AccountSettingsService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                                  PasswordHasher hasher, AccountThrottle throttle, MailOutbox mails, Audit audit,
                                  TransactionRunner tx, Clock clock,
                                  AccountWebhooks webhooks) {
        this.webhooks = webhooks;
        this.users = users;
        this.sessions = sessions;
        this.memberships = memberships;
        this.hasher = hasher;
        this.throttle = throttle;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void changePassword(UserCaller caller, ChangePasswordCommand command) {
        String current = CurrentPassword.of(command.currentPassword());
        List<FieldError> errors = new ArrayList<>();
        CurrentPassword.checkLength(current, errors);
        Password chosen = null;
        try {
            chosen = Password.choose(command.newPassword());
        } catch (InvalidInputException e) {
            e.errors().forEach(f -> errors.add(new FieldError("newPassword", f.message())));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        CurrentPassword.verify(user, current, caller.clientAddress(), throttle, hasher);
        String passwordHash = hasher.hash(chosen);
        tx.inTransaction(() -> {
            Instant now = clock.instant();
            if (!users.updatePasswordHash(user.id(), passwordHash)) throw new UnauthenticatedException("Sign in first.");
            List<Session> revoked = sessions.revokeOthers(user.id(), caller.sessionId(), now);
            webhooks.sessionsRevoked(revoked, now);
            // audit events belong to an organization: recorded in each one the user is a member of
            memberships.listForUser(user.id()).forEach(o -> audit.recordForUser(user.id(), o.organization().id(),
                    "account.password_changed", user.id().toString(), "other_sessions_revoked=" + revoked.size(),
                    caller.clientAddress()));
            mails.enqueue(new PasswordChangedMail(user.email(), user.name(), now));
        });
    }

    @Override
    public User changeName(UserCaller caller, String name) {
        String chosen = Text.singleLine("name", name, 100);
        return tx.inTransaction(() -> {
            if (!users.updateName(caller.userId(), chosen)) throw new UnauthenticatedException("Sign in first.");
            webhooks.userUpdated(caller.userId());
            return users.findById(caller.userId()).orElseThrow();
        });
    }
}
