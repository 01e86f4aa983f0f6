package com.orgkeys.application.account.service;

import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.shared.Secrets;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Issues an email verification: a 256-bit link token (valid 24 hours) and a 6-digit code (valid
 * {@link #CODE_VALIDITY}, at most {@link #MAX_CODE_ATTEMPTS} guesses), in one {@code account_tokens} row that
 * replaces the user's earlier ones, and the mail that carries both, in the caller's transaction.
 */
public final class EmailVerifications {
    public static final Duration CODE_VALIDITY = Duration.ofMinutes(10);
    public static final int MAX_CODE_ATTEMPTS = 5;
    static final AccountTokenPurpose PURPOSE = AccountTokenPurpose.EMAIL_VERIFICATION;
    private static final SecureRandom random = new SecureRandom();

    private final AccountTokenRepository tokens;
    private final MailOutbox mails;
    private final URI publicOrigin;

    public EmailVerifications(AccountTokenRepository tokens, MailOutbox mails, URI publicOrigin) {
        this.tokens = tokens;
        this.mails = mails;
        this.publicOrigin = publicOrigin;
    }

    /** Call inside the transaction that creates the user (or asks for a new mail). */
    void issue(User user, Instant now) {
        String token = Secrets.newToken();
        String code = "%06d".formatted(random.nextInt(1_000_000));
        tokens.invalidate(user.id(), PURPOSE, now);
        AccountToken issued = AccountToken.issue(user.id(), PURPOSE, Secrets.sha256(token),
                Optional.of(codeHash(user, code)), user.email(), now);
        tokens.insert(issued);
        mails.enqueue(new EmailVerificationMail(user.email(), user.name(), verifyUrl(token), code, issued.expiresAt(),
                now.plus(CODE_VALIDITY)));
    }

    /**
     * A code's SHA-256, salted with its user (one table of 10^6 codes does not fit every user). Six digits are no
     * secret from someone who reads the table; such a reader could mark an email verified anyway.
     */
    static String codeHash(User user, String code) {
        return Secrets.sha256("email-code\n" + user.id() + "\n" + code);
    }

    public String verifyUrl(String token) {
        return publicOrigin + "/verify-email?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
