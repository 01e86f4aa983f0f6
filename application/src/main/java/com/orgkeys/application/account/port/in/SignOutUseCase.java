package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.caller.UserCaller;

/** Revokes the caller's current session. */
public interface SignOutUseCase {
    void signOut(UserCaller caller);
}
