package com.orgkeys.application.account.port.in;

/** Creates an account and signs it in. */
public interface SignUpUseCase {
    record SignUpCommand(String email, String password, String name, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "SignUpCommand[email=" + email + "]";
        }
    }

    SignedIn signUp(SignUpCommand command);
}
