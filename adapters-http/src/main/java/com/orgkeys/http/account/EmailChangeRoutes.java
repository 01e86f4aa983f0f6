package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.ChangeEmailUseCase;
import com.orgkeys.application.account.port.in.ChangeEmailUseCase.RequestEmailChangeCommand;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies.UserJson;

/** The signed-in user asks to move their account to another email, and confirms it with the mailed link's token. */
public final class EmailChangeRoutes {
    record ChangeEmailRequest(String newEmail, String currentPassword) {
        @Override
        public String toString() {
            return "ChangeEmailRequest[***]";
        }
    }

    record ConfirmEmailChangeRequest(String token) {
        @Override
        public String toString() {
            return "ConfirmEmailChangeRequest[***]";
        }
    }

    private final ChangeEmailUseCase emailChange;
    private final Authenticator auth;

    public EmailChangeRoutes(ChangeEmailUseCase emailChange, Authenticator auth) {
        this.emailChange = emailChange;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post("/api/me/email", Access.USER, this::request);
        router.post("/api/me/email/confirm", Access.USER, this::confirm);
    }

    private void request(HttpCall call) {
        var caller = auth.requireUser(call);
        ChangeEmailRequest body = call.body(ChangeEmailRequest.class);
        emailChange.requestEmailChange(caller, new RequestEmailChangeCommand(body.newEmail(), body.currentPassword()));
        call.json(202, new PasswordResetRoutes.MessageJson(
                "A confirmation link is on its way to the new address; until it is used, your email stays as it is."));
    }

    private void confirm(HttpCall call) {
        var caller = auth.requireUser(call);
        ConfirmEmailChangeRequest body = call.body(ConfirmEmailChangeRequest.class);
        call.json(200, new AccountRoutes.SignedInJson(UserJson.of(emailChange.confirmEmailChange(caller, body.token()))));
    }
}
