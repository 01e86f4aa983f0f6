package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.caller.UserCaller;

import java.util.List;

/** A user's own sessions: list them, sign one out. */
public interface ManageSessionsUseCase {
    List<Session> listSessions(UserCaller caller);

    void revokeSession(UserCaller caller, SessionId sessionId);
}
