package com.orgkeys.application.account.port.out;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.webhook.WebhookEndpointId;

/**
 * Limits password guessing and account creation. An attempt is reserved atomically before the password is
 * checked, so that parallel guesses cannot all pass a check that would only count them afterwards.
 * Implementations keep only fixed-size keys derived from their inputs, and a bounded number of them.
 */
public interface AccountThrottle {
    /**
     * Reserves one sign-in attempt for {@code account} from {@code clientAddress}.
     *
     * @throws RateLimitedException when the attempt must not be made now; it then counts for nothing
     */
    SignInAttempt reserveSignIn(Email account, String clientAddress);

    /**
     * Counts one sign-up attempt from {@code clientAddress}, whatever its outcome.
     *
     * @throws RateLimitedException when that address has made too many
     */
    void reserveSignUp(String clientAddress);

    /**
     * Counts one passkey ceremony (a stored challenge) started without a session from {@code clientAddress}.
     *
     * @throws RateLimitedException when that address has started too many
     */
    void reservePasskeyCeremony(String clientAddress);

    /**
     * Counts one password reset request for {@code email} from {@code clientAddress}, whether or not an account
     * has that email (so that the limit tells nothing about it).
     *
     * @throws RateLimitedException when that email or that address has asked too often
     */
    void reservePasswordReset(Email email, String clientAddress);

    /**
     * Counts one request for a sign-in mail (link and code) for {@code email} from {@code clientAddress}, whether or
     * not an account has that email; limited as password reset requests are, apart from them.
     *
     * @throws RateLimitedException when that email or that address has asked too often
     */
    void reserveSignInMail(Email email, String clientAddress);

    /**
     * Counts one more verification mail asked for {@code email} (a resend).
     *
     * @throws RateLimitedException when that email has had too many
     */
    void reserveVerificationMail(Email email);

    /**
     * The owner of {@code account} proved they read its mail (a password reset, a sign-in link): its consecutive
     * sign-in failures end, as a successful sign-in ends them, so a guesser's lockout does not outlast the owner's
     * new password.
     */
    void forgetSignInFailures(Email account);

    /**
     * Counts one email change mail that {@code user} asks to send to {@code newEmail}.
     *
     * @throws RateLimitedException when that user, or that address, has had too many
     */
    void reserveEmailChangeMail(UserId user, Email newEmail);

    /**
     * Counts one API key leak report from {@code clientAddress}, whatever it reports; reports from everywhere are
     * limited together too, so that no number of addresses can make them a flood of database writes and mail.
     *
     * @throws RateLimitedException when that address, or everyone together, has reported too many
     */
    void reserveLeakReport(String clientAddress);

    /**
     * Counts one webhook sent on a manager's request to {@code endpoint} (a test event or a replay), so that a script
     * or a stolen session can flood neither the receiver nor the delivery tables; counted across nodes.
     *
     * @throws RateLimitedException when that endpoint has had too many lately
     */
    void reserveWebhookSend(WebhookEndpointId endpoint);

    /** A reserved sign-in attempt: report its outcome once; closing it without one gives it back unused. */
    interface SignInAttempt extends AutoCloseable {
        void succeeded();

        void failed();

        /** Gives the reservation back when no outcome was reported (the check itself could not run). */
        @Override
        void close();
    }
}
