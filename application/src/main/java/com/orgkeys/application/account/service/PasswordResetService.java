package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ResetPasswordUseCase;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Password;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.orgkeys.domain.shared.Validation.collect;
import static com.orgkeys.domain.shared.Validation.throwIfAny;

/**
 * Password reset by a mailed link: a 256-bit token, stored as its SHA-256, usable once within
 * {@link AccountTokenPurpose#PASSWORD_RESET}'s 30 minutes. A request for an email without an account does the same
 * work up to the lookup and answers the same; the mail goes out through the outbox, never in the request.
 */
public final class PasswordResetService implements ResetPasswordUseCase {
    private static final AccountTokenPurpose PURPOSE = AccountTokenPurpose.PASSWORD_RESET;

    private final UserRepository users;
    private final SessionRepository sessions;
    private final MembershipRepository memberships;
    private final AccountTokenRepository tokens;
    private final PasswordHasher hasher;
    private final AccountThrottle throttle;
    private final MailOutbox mails;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final AccountWebhooks webhooks;
    private final URI publicOrigin;

    public PasswordResetService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                                AccountTokenRepository tokens, PasswordHasher hasher, AccountThrottle throttle,
                                MailOutbox mails, Audit audit, TransactionRunner tx, Clock clock, URI publicOrigin) {
        this(users, sessions, memberships, tokens, hasher, throttle, mails, audit, tx, clock, publicOrigin, AccountWebhooks.NONE);
    }

    /** @param webhooks told of the sessions a reset ends and of an address it verified */
    public PasswordResetService(UserRepository users, SessionRepository sessions, MembershipRepository memberships,
                                AccountTokenRepository tokens, PasswordHasher hasher, AccountThrottle throttle,
                                MailOutbox mails, Audit audit, TransactionRunner tx, Clock clock, URI publicOrigin,
                                AccountWebhooks webhooks) {
        this.webhooks = webhooks;
        this.users = users;
        this.sessions = sessions;
        this.memberships = memberships;
        this.tokens = tokens;
        this.hasher = hasher;
        this.throttle = throttle;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.publicOrigin = publicOrigin;
    }

    @Override
    public void requestReset(RequestResetCommand command) {
        Email email = new Email(command.email());
        throttle.reservePasswordReset(email, command.clientAddress());
        String token = Secrets.newToken();
        Instant now = clock.instant();
        tx.inTransaction(() -> {
            Optional<User> user = users.findByEmail(email);
            if (user.isEmpty()) return; // same answer; no mail (the outbox is not visible to the caller)
            tokens.invalidate(user.get().id(), PURPOSE, now); // the newest link is the only one that works
            AccountToken issued = AccountToken.issue(user.get().id(), PURPOSE, Secrets.sha256(token), Optional.empty(),
                    user.get().email(), now);
            tokens.insert(issued);
            mails.enqueue(new PasswordResetMail(user.get().email(), user.get().name(), resetUrl(token),
                    issued.expiresAt()));
        });
    }

    /** The link in the mail: the dashboard's reset page, under the public origin (BASE_URL). */
    public String resetUrl(String token) {
        return publicOrigin + "/reset-password?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Override
    public PasswordReset confirmReset(ConfirmResetCommand command) {
        String token = command.token() == null ? "" : command.token().strip();
        List<FieldError> errors = new ArrayList<>();
        if (token.isEmpty()) errors.add(new FieldError("token", "is required"));
        Password password = collect(errors, () -> Password.choose(command.password()));
        throwIfAny(errors);
        if (token.length() > LinkTokens.MAX_LENGTH) throw invalidLink();
        String tokenHash = Secrets.sha256(token);
        // a cheap look first, so that a wrong token costs no password hash; the consume below decides
        if (tokens.findUsable(PURPOSE, tokenHash, clock.instant()).isEmpty()) throw invalidLink();
        String passwordHash = hasher.hash(password);
        PasswordReset reset = tx.inTransaction(() -> {
            Instant now = clock.instant();
            AccountToken used = tokens.consume(PURPOSE, tokenHash, now).orElseThrow(PasswordResetService::invalidLink);
            UserId userId = used.userId();
            if (!users.updatePasswordHash(userId, passwordHash)) throw invalidLink();
            if (users.markEmailVerified(userId, used.email(), now)) webhooks.userUpdated(userId); // read at that address
            tokens.invalidate(userId, PURPOSE, now);
            List<Session> ended = sessions.revokeAll(userId, now);
            webhooks.sessionsRevoked(ended, now);
            int revoked = ended.size();
            // audit events belong to an organization: the reset is recorded in each one the user is a member of
            memberships.listForUser(userId).forEach(o -> audit.recordForUser(userId, o.organization().id(),
                    "account.password_reset", userId.toString(), "sessions_revoked=" + revoked,
                    command.clientAddress()));
            return new PasswordReset(userId, revoked, used.email());
        });
        throttle.forgetSignInFailures(reset.email()); // the lockout guarded the old password
        return reset;
    }

    @Override
    public boolean resetLinkWorks(String token) {
        String stripped = token == null ? "" : token.strip();
        if (stripped.isEmpty() || stripped.length() > LinkTokens.MAX_LENGTH) return false;
        return tokens.findUsable(PURPOSE, Secrets.sha256(stripped), clock.instant()).isPresent();
    }

    private static InvalidInputException invalidLink() {
        return new InvalidInputException("token", "is not valid: the link may have expired or been used; ask for a new one");
    }
}
