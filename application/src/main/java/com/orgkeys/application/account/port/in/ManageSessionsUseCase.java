package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;

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

    /** A new session: {@code sessionToken} goes into the cookie and is not kept anywhere else. */
    record SignedIn(User user, String sessionToken) {
        @Override
        public String toString() {
            return "SignedIn[user=" + user + "]";
        }
    }

    SignedIn signUp(SignUpCommand command);

    SignedIn signIn(SignInCommand command);

    /** Revokes the caller's current session. */
    void signOut(UserCaller caller);

    List<Session> listSessions(UserCaller caller);

    void revokeSession(UserCaller caller, SessionId sessionId);
}
