package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.mail.port.out.SignInMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static com.orgkeys.domain.shared.Validation.throwIfAny;

/**
 * Sign-in by mail: one {@link AccountTokenPurpose#SIGN_IN} row per request holds the SHA-256 of a 256-bit link token
 * and of a 6-digit code, usable once (either of them) for 10 minutes; a new request replaces the earlier one.
 * A code guess is counted by the sign-in throttle like a password guess, and against the code's own
 * {@link #MAX_CODE_ATTEMPTS}, atomically, before it is compared. Either way in proves the address: the email is
 * marked verified. Sign-ins are not audited, as password sign-ins are not.
 */
public final class EmailSignInService implements SignInByEmailUseCase {
    public static final int MAX_CODE_ATTEMPTS = 5;
    static final AccountTokenPurpose PURPOSE = AccountTokenPurpose.SIGN_IN;
    static final String WRONG_CODE = "Wrong email or code. A code works once, for 10 minutes and " + MAX_CODE_ATTEMPTS
            + " tries: ask for a new one if needed.";
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");
    private static final SecureRandom random = new SecureRandom();

    private final UserRepository users;
    private final AccountTokenRepository tokens;
    private final AccountService accounts;
    private final AccountThrottle throttle;
    private final MailOutbox mails;
    private final TransactionRunner tx;
    private final Clock clock;
    private final URI publicOrigin;

    public EmailSignInService(UserRepository users, AccountTokenRepository tokens, AccountService accounts,
                              AccountThrottle throttle, MailOutbox mails, TransactionRunner tx, Clock clock,
                              URI publicOrigin) {
        this.users = users;
        this.tokens = tokens;
        this.accounts = accounts;
        this.throttle = throttle;
        this.mails = mails;
        this.tx = tx;
        this.clock = clock;
        this.publicOrigin = publicOrigin;
    }

    @Override
    public void requestSignInMail(RequestSignInMailCommand command) {
        Email email = new Email(command.email());
        throttle.reserveSignInMail(email, command.clientAddress());
        String token = Secrets.newToken();
        String code = "%06d".formatted(random.nextInt(1_000_000));
        Instant now = clock.instant();
        tx.inTransaction(() -> {
            Optional<User> user = users.findByEmail(email);
            if (user.isEmpty()) return; // same answer; no mail (the outbox is not visible to the caller)
            tokens.invalidate(user.get().id(), PURPOSE, now); // the newest mail is the only one that works
            AccountToken issued = AccountToken.issue(user.get().id(), PURPOSE, Secrets.sha256(token),
                    Optional.of(codeHash(user.get().id(), code)), user.get().email(), now);
            tokens.insert(issued);
            mails.enqueue(new SignInMail(user.get().email(), user.get().name(), signInUrl(token), code,
                    issued.expiresAt()));
        });
    }

    /** The link in the mail: the dashboard's confirmation page, under the public origin (BASE_URL). */
    public String signInUrl(String token) {
        return publicOrigin + "/sign-in/link?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** A code's SHA-256, salted with its user (one table of 10^6 codes does not fit every user). */
    static String codeHash(UserId user, String code) {
        return Secrets.sha256("sign-in-code\n" + user + "\n" + code);
    }

    @Override
    public SignInOutcome signInWithCode(SignInWithCodeCommand command) {
        String code = command.code() == null ? "" : command.code().strip();
        List<FieldError> errors = new ArrayList<>();
        if (command.email() != null && command.email().strip().length() > Email.MAX_LENGTH) {
            errors.add(new FieldError("email", "must be at most " + Email.MAX_LENGTH + " characters"));
        }
        if (!CODE.matcher(code).matches()) errors.add(new FieldError("code", "must be 6 digits"));
        throwIfAny(errors);
        Optional<Email> email = email(command.email());
        // No account has a malformed email: the same answer as a wrong code, without a counter.
        if (email.isEmpty()) throw new UnauthenticatedException(WRONG_CODE);
        try (AccountThrottle.SignInAttempt attempt = throttle.reserveSignIn(email.get(), command.clientAddress())) {
            Instant now = clock.instant();
            Optional<User> user = users.findByEmail(email.get());
            // counted (and committed) before it is compared; an unknown email runs the same statement, on no row
            Optional<AccountToken> reserved = tokens.reserveCodeAttempt(user.map(User::id).orElseGet(UserId::random),
                    PURPOSE, MAX_CODE_ATTEMPTS, now.minus(PURPOSE.validity()), now);
            boolean matches = reserved.isPresent() && user.isPresent()
                    && MessageDigest.isEqual(reserved.get().codeHash().orElse("").getBytes(StandardCharsets.UTF_8),
                    codeHash(user.get().id(), code).getBytes(StandardCharsets.UTF_8))
                    && reserved.get().email().equals(user.get().email());
            if (!matches) {
                attempt.failed();
                throw new UnauthenticatedException(WRONG_CODE);
            }
            String unusable = user.get().emailVerified() ? null : accounts.unusablePasswordHash();
            SignInOutcome signedIn = tx.inTransaction(() -> {
                // the link of the same mail may have been used meanwhile
                if (!tokens.consume(reserved.get().id(), now)) throw new UnauthenticatedException(WRONG_CODE);
                return signedIn(user.get(), command.userAgent(), command.clientAddress(), now, unusable);
            });
            // as for a password: the failures end with a session, not before the second factor
            if (signedIn instanceof SignedIn) attempt.succeeded();
            return signedIn;
        }
    }

    @Override
    public SignInOutcome signInWithLink(SignInWithLinkCommand command) {
        String tokenHash = tokenHash(command.token());
        // an account not yet verified is claimed by this sign-in: its new unusable password is hashed before the
        // transaction (a look at the token; the consume below decides)
        boolean claims = tokens.findUsable(PURPOSE, tokenHash, clock.instant())
                .flatMap(t -> users.findById(t.userId())).map(u -> !u.emailVerified()).orElse(false);
        String unusable = claims ? accounts.unusablePasswordHash() : null;
        SignInOutcome signedIn = tx.inTransaction(() -> {
            Instant now = clock.instant();
            AccountToken used = tokens.consume(PURPOSE, tokenHash, now).orElseThrow(EmailSignInService::invalidLink);
            // a mail to an address the account no longer has signs in nobody
            User user = users.findById(used.userId()).filter(u -> u.email().equals(used.email()))
                    .orElseThrow(EmailSignInService::invalidLink);
            return signedIn(user, command.userAgent(), command.clientAddress(), now, unusable);
        });
        // as a code's success (a sign-in) ends them; not before the second factor, whose failures count there too
        if (signedIn instanceof SignedIn) throttle.forgetSignInFailures(signedIn.user().email());
        return signedIn;
    }

    @Override
    public Optional<Email> linkFor(String token) {
        String tokenHash;
        try {
            tokenHash = tokenHash(token);
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
        return tokens.findUsable(PURPOSE, tokenHash, clock.instant()).map(AccountToken::email);
    }

    private SignInOutcome signedIn(User user, String userAgent, String clientAddress, Instant now,
                                   String unusablePassword) {
        if (!user.emailVerified()) {
            // verified only now: whoever signed up with this address may not be its owner
            accounts.claimedByMail(user, unusablePassword != null ? unusablePassword : accounts.unusablePasswordHash(), now);
        }
        // the mail was read at that address
        if (users.markEmailVerified(user.id(), user.email(), now)) accounts.webhooks().userUpdated(user.id());
        tokens.invalidate(user.id(), PURPOSE, now);
        return accounts.sessionOrSecondFactor(user, userAgent, clientAddress); // a TOTP user's code is still needed
    }

    private static String tokenHash(String token) {
        return LinkTokens.hashOf(token, EmailSignInService::invalidLink);
    }

    private static Optional<Email> email(String text) {
        try {
            return Optional.of(new Email(text));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    private static InvalidInputException invalidLink() {
        return new InvalidInputException("token", "is not valid: the link may have expired or been used; ask for a new one");
    }
}
