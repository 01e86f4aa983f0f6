package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.VerifyEmailUseCase;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

import static com.orgkeys.application.account.service.EmailVerifications.MAX_CODE_ATTEMPTS;
import static com.orgkeys.application.account.service.EmailVerifications.PURPOSE;

/**
 * Email verification by the mailed link's token or its 6-digit code, for the signed-in user only (a link opened in
 * someone else's session verifies nobody). A code guess is counted, atomically and against the limit, before it is
 * compared, so parallel guesses cannot pass {@link EmailVerifications#MAX_CODE_ATTEMPTS}.
 */
public final class EmailVerificationService implements VerifyEmailUseCase {
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");

    private final UserRepository users;
    private final AccountTokenRepository tokens;
    private final EmailVerifications verifications;
    private final AccountThrottle throttle;
    private final TransactionRunner tx;
    private final Clock clock;
    private final AccountWebhooks webhooks;

    public EmailVerificationService(UserRepository users, AccountTokenRepository tokens,
                                    EmailVerifications verifications, AccountThrottle throttle, TransactionRunner tx,
                                    Clock clock) {
        this(users, tokens, verifications, throttle, tx, clock, AccountWebhooks.NONE);
    }

    /** @param webhooks told of a verified address ({@code user.updated}) */
    public EmailVerificationService(UserRepository users, AccountTokenRepository tokens,
                                    EmailVerifications verifications, AccountThrottle throttle, TransactionRunner tx,
                                    Clock clock,
                                    AccountWebhooks webhooks) {
        this.webhooks = webhooks;
        this.users = users;
        this.tokens = tokens;
        this.verifications = verifications;
        this.throttle = throttle;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void verifyEmail(UserCaller caller, VerifyEmailCommand command) {
        String token = command.token() == null ? "" : command.token().strip();
        String code = command.code() == null ? "" : command.code().strip();
        if (token.isEmpty() == code.isEmpty()) throw new InvalidInputException("code", "give either a token or a code");
        // malformed input is refused whatever the state, as on every other route
        if (token.length() > LinkTokens.MAX_LENGTH) throw invalidLink();
        if (token.isEmpty() && !CODE.matcher(code).matches()) throw new InvalidInputException("code", "must be 6 digits");
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        if (user.emailVerified()) return;
        Instant now = clock.instant();
        if (!token.isEmpty()) {
            String tokenHash = Secrets.sha256(token);
            tx.inTransaction(() -> {
                AccountToken found = tokens.findUsable(PURPOSE, tokenHash, now)
                        .filter(t -> t.userId().equals(user.id()) && t.email().equals(user.email()))
                        .orElseThrow(EmailVerificationService::invalidLink);
                if (!tokens.consume(found.id(), now)) throw invalidLink();
                verified(user, now);
            });
            return;
        }
        // counted (and committed) before it is compared; the limit is checked in the same statement
        AccountToken reserved = tokens.reserveCodeAttempt(user.id(), PURPOSE, MAX_CODE_ATTEMPTS,
                        now.minus(EmailVerifications.CODE_VALIDITY), now)
                .orElseThrow(() -> new InvalidInputException("code",
                        "is no longer valid (expired, or too many wrong guesses): ask for a new mail"));
        boolean matches = MessageDigest.isEqual(reserved.codeHash().orElseThrow().getBytes(StandardCharsets.UTF_8),
                EmailVerifications.codeHash(user, code).getBytes(StandardCharsets.UTF_8));
        if (!matches || !reserved.email().equals(user.email())) {
            int left = MAX_CODE_ATTEMPTS - reserved.attempts();
            throw new InvalidInputException("code", left > 0 ? "is wrong; " + left + " more tries with this code"
                    : "is wrong, and that was the last try: ask for a new mail");
        }
        tx.inTransaction(() -> {
            if (!tokens.consume(reserved.id(), now)) throw invalidLink();
            verified(user, now);
        });
    }

    private void verified(User user, Instant now) {
        if (users.markEmailVerified(user.id(), user.email(), now)) webhooks.userUpdated(user.id());
        tokens.invalidate(user.id(), PURPOSE, now);
    }

    @Override
    public void resendVerification(UserCaller caller) {
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        if (user.emailVerified()) throw new ConflictException("Your email is verified already.");
        throttle.reserveVerificationMail(user.email());
        tx.inTransaction(() -> verifications.issue(user, clock.instant()));
    }

    private static InvalidInputException invalidLink() {
        return new InvalidInputException("token", "is not valid: the link may have expired or been used; ask for a new mail");
    }
}
