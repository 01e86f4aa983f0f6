package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase.PasskeySecondFactorCommand;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase.SecondFactorCommand;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.PasskeyCeremony;
import com.orgkeys.http.dashboard.PageModels.SecondFactorPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

import java.util.function.Supplier;

/**
 * The dashboard's second step of a sign-in for an account with two-factor sign-in: every sign-in form whose first
 * factor was right shows this page (no session yet), whose forms post the pending sign-in's token with a code from
 * the authenticator app or a recovery code, or with a passkey's answer (passkeys.js fills it in).
 */
final class SecondFactorPages {
    /** Hidden field: whether the account has an authenticator app (only what the page shows; the server decides). */
    private static final String APP_FIELD = "app";

    private final Pages pages;
    private final SignInWithSecondFactorUseCase secondFactor;
    private final SignInWithPasskeyUseCase passkeys;

    SecondFactorPages(Pages pages, SignInWithSecondFactorUseCase secondFactor, SignInWithPasskeyUseCase passkeys) {
        this.pages = pages;
        this.secondFactor = secondFactor;
        this.passkeys = passkeys;
    }

    void register(Router router) {
        router.post("/sign-in/second-factor", pages.post(this::signIn));
        router.post("/sign-in/second-factor/passkey", pages.post(this::signInWithPasskey));
    }

    /** The page asking for the second factor, after a right first factor; {@code next}: where to go once signed in. */
    void ask(HttpCall call, SecondFactorRequired pending, String next) {
        render(call, 200, pending.signInToken(), next, pending.authenticatorApp(), pending.passkey(), null);
    }

    private void render(HttpCall call, int status, String token, String next, boolean app, boolean passkey,
                        String error) {
        var chrome = pages.anonymousChrome(call);
        PasskeyCeremony ceremony = passkey ? ceremony(() -> passkeys.startSecondFactor(token, call.clientAddress().getHostAddress())) : null;
        pages.render(call, status, "sign_in_second_factor.jte", new SecondFactorPage(
                error == null ? chrome : chrome.withError(error), token, next, Form.empty(), app, ceremony));
    }

    /**
     * A new passkey ceremony; null when none can start (the sign-in expired, its account has no passkey now, or this
     * address started too many: the page then offers the other ways).
     */
    static PasskeyCeremony ceremony(Supplier<PasskeyOptions> start) {
        try {
            PasskeyOptions options = start.get();
            return new PasskeyCeremony(options.ceremonyId().toString(), options.publicKey());
        } catch (UnauthenticatedException | InvalidInputException | RateLimitedException e) {
            return null;
        }
    }

    private void signIn(HttpCall call) {
        Form form = Form.of(call.form());
        String token = call.formParam("signInToken").orElse("");
        String next = Pages.safeNext(form.value("next"), "/");
        String code = form.value("code");
        boolean recovery = code.strip().length() > 6; // a recovery code is xxxxx-xxxxx; an app's code 6 digits
        try {
            SignedIn signedIn = secondFactor.signInWithSecondFactor(new SecondFactorCommand(token,
                    recovery ? null : code, recovery ? code : null, call.header("User-Agent").orElse(""),
                    call.clientAddress().getHostAddress()));
            pages.cookie().set(call, signedIn.sessionToken());
            call.redirect(next);
        } catch (InvalidInputException e) {
            render(call, 422, token, next, true, true, "Enter the 6-digit code from your authenticator app, "
                    + "or one of your recovery codes.");
        } catch (UnauthenticatedException e) {
            render(call, 401, token, next, true, true, e.getMessage());
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), token, next, true, true, e.getMessage());
        }
    }

    private void signInWithPasskey(HttpCall call) {
        Form form = Form.of(call.form());
        String token = form.value("signInToken");
        String next = Pages.safeNext(form.value("next"), "/");
        boolean app = form.value(APP_FIELD).equals("true");
        try {
            SignedIn signedIn = passkeys.finishSecondFactor(new PasskeySecondFactorCommand(token,
                    form.value("ceremonyId"), form.value("credential"), call.header("User-Agent").orElse(""),
                    call.clientAddress().getHostAddress()));
            pages.cookie().set(call, signedIn.sessionToken());
            call.redirect(next);
        } catch (InvalidInputException e) {
            render(call, 422, token, next, app, true, PasskeySignInPages.NO_ANSWER);
        } catch (UnauthenticatedException e) {
            render(call, 401, token, next, app, true, e.getMessage());
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), token, next, app, true, e.getMessage());
        }
    }
}
