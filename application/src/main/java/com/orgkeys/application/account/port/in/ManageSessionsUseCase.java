package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;

import java.time.Instant;
import java.util.List;

/**
 * A user's sessions: sign up (a new account with its first session), sign in (checks email and password;
 * throttled per account and per client address), sign out, list them, sign one out.
 */
public interface ManageSessionsUseCase {
    record SignUpCommand(String email, String password, String name, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "SignUpCommand[email=" + email + "]";
        }
    }

    record SignInCommand(String email, String password, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "SignInCommand[email=" + email + "]";
        }
    }

    /**
     * How a sign-in with a right password (or mailed link or code) ends: a session, or, for an account with
     * two-factor sign-in, a short-lived {@link SecondFactorRequired} that only its second factor turns into one.
     * Every way in answers one of these, so none can open a session past the second factor.
     */
    sealed interface SignInOutcome permits SignedIn, SecondFactorRequired {
        User user();
    }

    /**
     * The first factor was right; {@code signInToken} (kept only as its SHA-256) with a TOTP or recovery code, or a
     * passkey, opens the session, once, until {@code expiresAt}. No session exists yet. The flags say which of
     * these second factors the account has.
     */
    record SecondFactorRequired(User user, String signInToken, Instant expiresAt, boolean authenticatorApp,
                                boolean passkey) implements SignInOutcome {
        @Override
        public String toString() {
            return "SecondFactorRequired[user=" + user + "]";
        }
    }

    /** A new session: {@code sessionToken} goes into the cookie and is not kept anywhere else. */
    record SignedIn(User user, String sessionToken) implements SignInOutcome {
        @Override
        public String toString() {
            return "SignedIn[user=" + user + "]";
        }
    }

    SignedIn signUp(SignUpCommand command);

    /** A session, or a pending second factor when the account has two-factor sign-in. */
    SignInOutcome signIn(SignInCommand command);

    /** Revokes the caller's current session. */
    void signOut(UserCaller caller);

    List<Session> listSessions(UserCaller caller);

    void revokeSession(UserCaller caller, SessionId sessionId);
}
