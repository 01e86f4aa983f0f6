package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.caller.UserCaller;

import java.util.Optional;

/** Turns a session cookie into a caller with the permissions of their role in the active organization. */
public interface AuthenticateSessionUseCase {
    Optional<UserCaller> authenticate(String sessionToken, String clientAddress);
}
