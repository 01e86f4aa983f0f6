package com.orgkeys.http.twofactor;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase.SecondFactorCommand;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.http.account.AccountRoutes;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.passkey.PasskeyRoutes;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

import java.time.Instant;
import java.util.List;

/**
 * Two-factor sign-in: the second step of a sign-in, and the signed-in user's own authenticator app and recovery
 * codes (sessions only: API keys cannot manage a user's factors).
 */
public final class TwoFactorRoutes {
    record SecondFactorRequest(String signInToken, String code, String recoveryCode) {
        @Override
        public String toString() {
            return "SecondFactorRequest[***]";
        }
    }

    /** Empty: the body may be left out (anything else in it is refused). */
    record StartTotpRequest() {
    }

    record ConfirmTotpRequest(String code) {
        @Override
        public String toString() {
            return "ConfirmTotpRequest[***]";
        }
    }

    record CurrentPasswordRequest(String currentPassword) {
        @Override
        public String toString() {
            return "CurrentPasswordRequest[***]";
        }
    }

    /** {@code enabled}, {@code pending}, {@code since}: the authenticator app; {@code passkeys}: all of them. */
    record TwoFactorJson(boolean enabled, boolean pending, int recoveryCodesLeft, Instant since,
                         List<PasskeyRoutes.PasskeyJson> passkeys) {
    }

    record TotpEnrollmentJson(String secret, String uri) {
        @Override
        public String toString() {
            return "TotpEnrollmentJson[***]";
        }
    }

    record RecoveryCodesJson(List<String> recoveryCodes) {
        @Override
        public String toString() {
            return "RecoveryCodesJson[***]";
        }
    }

    private final SignInWithSecondFactorUseCase secondFactor;
    private final ManageTwoFactorUseCase twoFactor;
    private final ManagePasskeysUseCase passkeys;
    private final Authenticator auth;
    private final SessionCookie cookie;

    public TwoFactorRoutes(SignInWithSecondFactorUseCase secondFactor, ManageTwoFactorUseCase twoFactor,
                           ManagePasskeysUseCase passkeys, Authenticator auth, SessionCookie cookie) {
        this.passkeys = passkeys;
        this.secondFactor = secondFactor;
        this.twoFactor = twoFactor;
        this.auth = auth;
        this.cookie = cookie;
    }

    public void register(Router router) {
        router.post("/api/auth/sign-in/second-factor", Access.PUBLIC, this::signIn);
        router.get("/api/account/two-factor", Access.USER, this::status);
        router.post("/api/account/two-factor/totp", Access.USER, this::start);
        router.post("/api/account/two-factor/totp/confirm", Access.USER, this::confirm);
        router.post("/api/account/two-factor/totp/disable", Access.USER, this::disable);
        router.post("/api/account/two-factor/recovery-codes", Access.USER, this::regenerate);
    }

    private void signIn(HttpCall call) {
        SecondFactorRequest body = call.body(SecondFactorRequest.class);
        SignedIn signedIn = secondFactor.signInWithSecondFactor(new SecondFactorCommand(body.signInToken(),
                body.code(), body.recoveryCode(), call.header("User-Agent").orElse(""),
                call.clientAddress().getHostAddress()));
        AccountRoutes.answer(call, cookie, signedIn);
    }

    private void status(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        var status = twoFactor.status(caller);
        call.json(200, new TwoFactorJson(status.enabled(), status.pending(), status.recoveryCodesLeft(),
                status.since().orElse(null), passkeys.list(caller).stream().map(PasskeyRoutes.PasskeyJson::of).toList()));
    }

    private void start(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        if (call.hasBody()) call.body(StartTotpRequest.class);
        var enrollment = twoFactor.startTotp(caller);
        call.json(200, new TotpEnrollmentJson(enrollment.secret(), enrollment.uri()));
    }

    private void confirm(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        ConfirmTotpRequest body = call.body(ConfirmTotpRequest.class);
        var issued = twoFactor.confirmTotp(caller, body.code());
        call.json(200, new RecoveryCodesJson(issued.codes()));
    }

    private void disable(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        CurrentPasswordRequest body = call.body(CurrentPasswordRequest.class);
        twoFactor.disableTotp(caller, body.currentPassword());
        call.noContent();
    }

    private void regenerate(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        CurrentPasswordRequest body = call.body(CurrentPasswordRequest.class);
        var issued = twoFactor.regenerateRecoveryCodes(caller, body.currentPassword());
        call.json(200, new RecoveryCodesJson(issued.codes()));
    }
}
