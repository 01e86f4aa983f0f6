package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.User;

/** A new session: {@code sessionToken} goes into the cookie and is not kept anywhere else. */
public record SignedIn(User user, String sessionToken) {
    @Override
    public String toString() {
        return "SignedIn[user=" + user + "]";
    }
}
