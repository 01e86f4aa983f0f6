package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.ResetPasswordUseCase;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.ConfirmResetCommand;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.PasswordReset;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.RequestResetCommand;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A forgotten password: ask for a reset link by mail, then set a new password with its token. */
public final class PasswordResetRoutes {
    private static final Logger log = LoggerFactory.getLogger("account");
    /** The one answer to every request, whether the email has an account or not. */
    public static final String REQUESTED = "If an account uses this email, a link to reset its password is on its way.";

    record PasswordResetRequest(String email) {
    }

    record ConfirmPasswordResetRequest(String token, String password) {
        @Override
        public String toString() {
            return "ConfirmPasswordResetRequest[***]";
        }
    }

    record MessageJson(String message) {
    }

    private final ResetPasswordUseCase reset;

    public PasswordResetRoutes(ResetPasswordUseCase reset) {
        this.reset = reset;
    }

    public void register(Router router) {
        router.post("/api/auth/password-reset", Access.PUBLIC, this::request);
        router.post("/api/auth/password-reset/confirm", Access.PUBLIC, this::confirm);
    }

    private void request(HttpCall call) {
        PasswordResetRequest body = call.body(PasswordResetRequest.class);
        reset.requestReset(new RequestResetCommand(body.email(), call.clientAddress().getHostAddress()));
        call.json(202, new MessageJson(REQUESTED));
    }

    private void confirm(HttpCall call) {
        ConfirmPasswordResetRequest body = call.body(ConfirmPasswordResetRequest.class);
        PasswordReset done = reset.confirmReset(new ConfirmResetCommand(body.token(), body.password(),
                call.clientAddress().getHostAddress()));
        logReset(done);
        call.noContent();
    }

    /** Audit events need an organization; the log has every reset, also of users without one. */
    public static void logReset(PasswordReset done) {
        log.info("account: password of user {} reset by mailed link; {} sessions signed out", done.userId(),
                done.sessionsRevoked());
    }
}
