package com.orgkeys.application.account.port.in;

/** Checks email and password and opens a session; throttled per account and per client address. */
public interface SignInUseCase {
    record SignInCommand(String email, String password, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "SignInCommand[email=" + email + "]";
        }
    }

    SignedIn signIn(SignInCommand command);
}
