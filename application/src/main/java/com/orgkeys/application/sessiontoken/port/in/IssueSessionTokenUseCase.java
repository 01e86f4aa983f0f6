package com.orgkeys.application.sessiontoken.port.in;

import com.orgkeys.domain.caller.UserCaller;

import java.time.Instant;

/** A short-lived JWT that says who the signed-in user is, for the team's other services to verify offline. */
public interface IssueSessionTokenUseCase {
    record SessionToken(String jwt, Instant expiresAt) {
    }

    SessionToken issue(UserCaller caller);
}
