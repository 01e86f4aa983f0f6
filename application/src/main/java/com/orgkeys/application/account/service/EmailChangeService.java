package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ChangeEmailUseCase;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.mail.port.out.EmailChangeMail;
import com.orgkeys.application.mail.port.out.EmailChangedMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Email change: the current password (checked under the sign-in limits) and a 256-bit link mailed to the new
 * address (24 hours, single use, stored hashed), confirmed by the same user. Confirming switches the address and
 * marks it verified in one transaction, audits it in each organization of the user and tells the old address.
 * Tokens mailed to the old address (password reset, verification, sign-in) stop working with it.
 */
public final class EmailChangeService implements ChangeEmailUseCase {
    static final AccountTokenPurpose PURPOSE = AccountTokenPurpose.EMAIL_CHANGE;
    private static final List<AccountTokenPurpose> ENDED_BY_A_CHANGE = List.of(AccountTokenPurpose.EMAIL_CHANGE,
            AccountTokenPurpose.PASSWORD_RESET, AccountTokenPurpose.EMAIL_VERIFICATION, AccountTokenPurpose.SIGN_IN);

    private final UserRepository users;
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

    public EmailChangeService(UserRepository users, MembershipRepository memberships, AccountTokenRepository tokens,
                              PasswordHasher hasher, AccountThrottle throttle, MailOutbox mails, Audit audit,
                              TransactionRunner tx, Clock clock, URI publicOrigin) {
        this(users, memberships, tokens, hasher, throttle, mails, audit, tx, clock, publicOrigin, AccountWebhooks.NONE);
    }

    /** @param webhooks told of a changed address ({@code user.updated}) */
    public EmailChangeService(UserRepository users, MembershipRepository memberships, AccountTokenRepository tokens,
                              PasswordHasher hasher, AccountThrottle throttle, MailOutbox mails, Audit audit,
                              TransactionRunner tx, Clock clock, URI publicOrigin,
                              AccountWebhooks webhooks) {
        this.webhooks = webhooks;
        this.users = users;
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
    public void requestEmailChange(UserCaller caller, RequestEmailChangeCommand command) {
        String current = CurrentPassword.of(command.currentPassword());
        List<FieldError> errors = new ArrayList<>();
        Email chosen = null;
        try {
            chosen = Email.parse(command.newEmail());
        } catch (InvalidInputException e) {
            e.errors().forEach(f -> errors.add(new FieldError("newEmail", f.message())));
        }
        CurrentPassword.checkLength(current, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Email newEmail = chosen;
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        if (newEmail.equals(user.email())) throw new InvalidInputException("newEmail", "is your current email");
        CurrentPassword.verify(user, current, caller.clientAddress(), throttle, hasher);
        // counted before the address is looked up: also bounds how fast a session can probe for accounts
        throttle.reserveEmailChangeMail(user.id(), newEmail);
        if (users.findByEmail(newEmail).isPresent()) throw taken();
        String token = Secrets.newToken();
        tx.inTransaction(() -> {
            Instant now = clock.instant();
            tokens.invalidate(user.id(), PURPOSE, now); // a new request replaces the pending one
            AccountToken issued = AccountToken.issue(user.id(), PURPOSE, Secrets.sha256(token), Optional.empty(),
                    newEmail, now);
            tokens.insert(issued);
            mails.enqueue(new EmailChangeMail(newEmail, user.name(), user.email(), confirmUrl(token),
                    issued.expiresAt()));
        });
    }

    @Override
    public User confirmEmailChange(UserCaller caller, String token) {
        String tokenHash = LinkTokens.hashOf(token, EmailChangeService::invalidLink);
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            // found by its hash; compared again in constant time, and it must be this user's
            AccountToken found = tokens.findUsable(PURPOSE, tokenHash, now)
                    .filter(t -> MessageDigest.isEqual(t.tokenHash().getBytes(StandardCharsets.UTF_8),
                            tokenHash.getBytes(StandardCharsets.UTF_8)))
                    .filter(t -> t.userId().equals(caller.userId()))
                    .orElseThrow(EmailChangeService::invalidLink);
            User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
            if (!tokens.consume(found.id(), now)) throw invalidLink();
            Email old = user.email();
            Email chosen = found.email();
            if (users.findByEmail(chosen).filter(u -> !u.id().equals(user.id())).isPresent()) throw taken();
            // the unique index decides a race with a sign-up or another change: a conflict, and the rollback undoes all
            if (!users.changeEmail(user.id(), old, chosen, now)) throw invalidLink();
            webhooks.userUpdated(user.id());
            ENDED_BY_A_CHANGE.forEach(purpose -> tokens.invalidate(user.id(), purpose, now));
            // audit events belong to an organization: recorded in each one the user is a member of
            memberships.listForUser(user.id()).forEach(o -> audit.recordForUser(user.id(), o.organization().id(),
                    "account.email_changed", user.id().toString(), "from=" + old + " to=" + chosen,
                    caller.clientAddress()));
            mails.enqueue(new EmailChangedMail(old, user.name(), chosen, now));
            return users.findById(user.id()).orElseThrow();
        });
    }

    public String confirmUrl(String token) {
        return publicOrigin + "/account/email/confirm?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private static ConflictException taken() {
        return new ConflictException("That email belongs to another account.");
    }

    private static InvalidInputException invalidLink() {
        return new InvalidInputException("token",
                "is not valid: the link may have expired, been used or been replaced by a newer one; ask for a new mail");
    }
}
