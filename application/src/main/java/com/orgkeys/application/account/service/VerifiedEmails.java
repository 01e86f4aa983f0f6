package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.EmailNotVerifiedException;
import com.orgkeys.domain.shared.UnauthenticatedException;

/**
 * The one check of the actions a user may take only with a verified email (accepting an invitation, creating an API
 * key): until then anyone could sign up as someone else's address and use what was meant for its owner.
 */
public final class VerifiedEmails {
    private final UserRepository users;

    public VerifiedEmails(UserRepository users) {
        this.users = users;
    }

    /** Refuses a user whose email is not verified; an API key or a backend secret key is no person and has no address to verify. */
    public void require(Caller caller) {
        switch (caller) {
            case UserCaller user -> require(users.findById(user.userId())
                    .orElseThrow(() -> new UnauthenticatedException("Sign in first.")));
            case ApiKeyCaller key -> {
            }
            case SecretKeyCaller backend -> {
            }
        }
    }

    /** Refuses {@code user} unless their email is verified. */
    public static void require(User user) {
        if (!user.emailVerified()) throw new EmailNotVerifiedException(user.email().value());
    }
}
