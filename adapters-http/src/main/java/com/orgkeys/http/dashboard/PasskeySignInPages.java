package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase.PasskeySignInCommand;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.PasskeySignInPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/**
 * Passwordless sign-in with a passkey: the sign-in page's "Sign in with a passkey" posts here, which starts a
 * ceremony (a POST, so that a page view stores nothing) and shows the page whose button asks the browser for a
 * passkey (passkeys.js); its answer, posted back, opens the session. A passkey with user verification is two
 * factors in one, so no second step follows, whatever the account's other factors.
 */
final class PasskeySignInPages {
    static final String NO_ANSWER = "Your browser gave no passkey (passkeys need JavaScript): try again, or sign in "
            + "another way.";

    private final Pages pages;
    private final SignInWithPasskeyUseCase passkeys;

    PasskeySignInPages(Pages pages, SignInWithPasskeyUseCase passkeys) {
        this.pages = pages;
        this.passkeys = passkeys;
    }

    void register(Router router) {
        router.post("/sign-in/passkey/start", pages.post(call -> render(call, 200,
                Pages.safeNext(Form.of(call.form()).value("next"), ""), null)));
        router.post("/sign-in/passkey", pages.post(this::signIn));
    }

    private void render(HttpCall call, int status, String next, String error) {
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "sign_in_passkey.jte", new PasskeySignInPage(
                error == null ? chrome : chrome.withError(error),
                SecondFactorPages.ceremony(() -> passkeys.startSignIn(call.clientAddress().getHostAddress())), next));
    }

    private void signIn(HttpCall call) {
        Form form = Form.of(call.form());
        String next = Pages.safeNext(form.value("next"), "/");
        try {
            SignedIn signedIn = passkeys.finishSignIn(new PasskeySignInCommand(form.value("ceremonyId"),
                    form.value("credential"), call.header("User-Agent").orElse(""),
                    call.clientAddress().getHostAddress()));
            pages.cookie().set(call, signedIn.sessionToken());
            call.redirect(next);
        } catch (InvalidInputException e) {
            render(call, 422, next, NO_ANSWER);
        } catch (UnauthenticatedException | RateLimitedException e) {
            render(call, e instanceof RateLimitedException r ? Pages.status(call, r) : 401, next, e.getMessage());
        }
    }
}
