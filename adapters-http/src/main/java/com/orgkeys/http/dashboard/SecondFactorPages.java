package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase.SecondFactorCommand;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.SecondFactorPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/**
 * The dashboard's second step of a sign-in for an account with two-factor sign-in: every sign-in form whose first
 * factor was right shows this page (no session yet), whose form posts the pending sign-in's token with a code from
 * the authenticator app or a recovery code.
 */
final class SecondFactorPages {
    private final Pages pages;
    private final SignInWithSecondFactorUseCase secondFactor;

    SecondFactorPages(Pages pages, SignInWithSecondFactorUseCase secondFactor) {
        this.pages = pages;
        this.secondFactor = secondFactor;
    }

    void register(Router router) {
        router.post("/sign-in/second-factor", pages.post(this::signIn));
    }

    /** The page asking for the code, after a right first factor; {@code next}: where to go once signed in. */
    void ask(HttpCall call, SecondFactorRequired pending, String next) {
        render(call, 200, pending.signInToken(), next, Form.empty(), null);
    }

    private void render(HttpCall call, int status, String token, String next, Form form, String error) {
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "sign_in_second_factor.jte",
                new SecondFactorPage(error == null ? chrome : chrome.withError(error), token, next, form));
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
            render(call, 422, token, next, Form.empty(), "Enter the 6-digit code from your authenticator app, "
                    + "or one of your recovery codes.");
        } catch (UnauthenticatedException e) {
            render(call, 401, token, next, Form.empty(), e.getMessage());
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), token, next, Form.empty(), e.getMessage());
        }
    }
}
