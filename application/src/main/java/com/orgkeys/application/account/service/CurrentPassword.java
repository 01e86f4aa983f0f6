package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.List;

/**
 * The current password a signed-in user gives to change their password or their email, or to turn off or renew
 * their second factor. It is checked under the
 * sign-in limits, as a sign-in is: a stolen session must not become a way to guess the password.
 */
public final class CurrentPassword {
    public static final String FIELD = "currentPassword";

    private CurrentPassword() {
    }

    /** {@code text}, or "" for none. */
    public static String of(String text) {
        return text == null ? "" : text;
    }

    /** Adds an error on {@link #FIELD} when {@code text} is longer than any password can be (before any hashing). */
    public static void checkLength(String text, List<FieldError> errors) {
        if (text.length() > 2 * AccountService.MAX_PASSWORD_CODE_POINTS
                || text.codePointCount(0, text.length()) > AccountService.MAX_PASSWORD_CODE_POINTS) {
            errors.add(new FieldError(FIELD, "must be at most " + AccountService.MAX_PASSWORD_CODE_POINTS + " characters"));
        }
    }

    /**
     * @throws InvalidInputException on {@link #FIELD} when {@code text} is not {@code user}'s password (a failed
     *         sign-in attempt)
     * @throws com.orgkeys.domain.shared.RateLimitedException when the sign-in limits refuse the attempt
     */
    public static void verify(User user, String text, String clientAddress, AccountThrottle throttle, PasswordHasher hasher) {
        try (AccountThrottle.SignInAttempt attempt = throttle.reserveSignIn(user.email(), clientAddress)) {
            if (!hasher.verify(user.passwordHash(), text.toCharArray())) {
                attempt.failed();
                throw new InvalidInputException(FIELD, "is not your current password");
            }
            attempt.succeeded();
        }
    }
}
