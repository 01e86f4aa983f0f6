package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.ManageAccountUseCase;
import com.orgkeys.application.account.port.in.ManageAccountUseCase.ChangePasswordCommand;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies.UserJson;

/** The signed-in user changes their own password or name. */
public final class AccountSettingsRoutes {
    record ChangePasswordRequest(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "ChangePasswordRequest[***]";
        }
    }

    record ChangeNameRequest(String name) {
    }

    private final ManageAccountUseCase account;
    private final Authenticator auth;

    public AccountSettingsRoutes(ManageAccountUseCase account, Authenticator auth) {
        this.account = account;
        this.auth = auth;
    }

    public void register(Router router) {
        router.post("/api/me/password", Access.USER, this::changePassword);
        router.patch("/api/me", Access.USER, this::changeName);
    }

    private void changePassword(HttpCall call) {
        var caller = auth.requireUser(call);
        ChangePasswordRequest body = call.body(ChangePasswordRequest.class);
        account.changePassword(caller, new ChangePasswordCommand(body.currentPassword(), body.newPassword()));
        call.noContent();
    }

    private void changeName(HttpCall call) {
        var caller = auth.requireUser(call);
        ChangeNameRequest body = call.body(ChangeNameRequest.class);
        call.json(200, new AccountRoutes.SignedInJson(UserJson.of(account.changeName(caller, body.name()))));
    }
}
