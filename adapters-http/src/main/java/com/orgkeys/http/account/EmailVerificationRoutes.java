package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.VerifyEmailUseCase;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase.VerifyEmailCommand;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/** The signed-in user confirms their email with the mailed link's token or code, or asks for a new mail. */
public final class EmailVerificationRoutes {
    record VerifyEmailRequest(String token, String code) {
        @Override
        public String toString() {
            return "VerifyEmailRequest[***]";
        }
    }

    /** No fields; a body is optional, and anything in it is refused like any other unknown field. */
    record ResendVerificationRequest() {
    }

    private final VerifyEmailUseCase verification;
    private final Authenticator auth;

    public EmailVerificationRoutes(VerifyEmailUseCase verification, Authenticator auth) {
        this.verification = verification;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post("/api/auth/verify-email", Access.USER, this::verify);
        router.post("/api/auth/verify-email/resend", Access.USER, this::resend);
    }

    private void verify(HttpCall call) {
        var caller = auth.requireUser(call);
        VerifyEmailRequest body = call.body(VerifyEmailRequest.class);
        verification.verifyEmail(caller, new VerifyEmailCommand(body.token(), body.code()));
        call.noContent();
    }

    private void resend(HttpCall call) {
        var caller = auth.requireUser(call);
        if (call.hasBody()) call.body(ResendVerificationRequest.class);
        verification.resendVerification(caller);
        call.json(202, new PasswordResetRoutes.MessageJson("A new verification mail is on its way."));
    }
}
