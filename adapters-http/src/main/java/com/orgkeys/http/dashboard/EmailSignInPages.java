package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.RequestSignInMailCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithCodeCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithLinkCommand;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.account.EmailSignInRoutes;
import com.orgkeys.http.dashboard.PageModels.Chrome;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.SignInCodePage;
import com.orgkeys.http.dashboard.PageModels.SignInEmailPage;
import com.orgkeys.http.dashboard.PageModels.SignInLinkPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

import java.util.Optional;

/**
 * Sign-in by mail: ask for a mail, enter its code; or open its link, which asks for one click first (mail scanners
 * fetch links, so the GET changes nothing). The link works only in a browser nobody is signed in to.
 */
final class EmailSignInPages {
    private final Pages pages;
    private final SignInByEmailUseCase signIn;
    private final SecondFactorPages secondFactor;

    EmailSignInPages(Pages pages, SignInByEmailUseCase signIn, SecondFactorPages secondFactor) {
        this.pages = pages;
        this.secondFactor = secondFactor;
        this.signIn = signIn;
    }

    void register(Router router) {
        router.get("/sign-in/email", pages.get(call -> emailPage(call, 200, Form.empty(), null)));
        router.post("/sign-in/email", pages.post(this::requestMail));
        router.get("/sign-in/code", pages.get(call -> codePage(call, 200,
                Form.empty().with("email", call.queryParam("email").orElse("")), null)));
        router.post("/sign-in/code", pages.post(this::signInWithCode));
        router.get("/sign-in/link", pages.get(this::linkPage));
        router.post("/sign-in/link", pages.post(this::signInWithLink));
    }

    private void emailPage(HttpCall call, int status, Form form, String error) {
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "sign_in_email.jte",
                new SignInEmailPage(error == null ? chrome : chrome.withError(error), form));
    }

    private void requestMail(HttpCall call) {
        Form form = Form.of(call.form());
        try {
            signIn.requestSignInMail(new RequestSignInMailCommand(form.value("email"),
                    call.clientAddress().getHostAddress()));
            call.redirect("/sign-in/code?sent=1&email=" + Pages.encode(form.value("email").strip()));
        } catch (InvalidInputException e) {
            emailPage(call, 422, form.withErrors(e), null);
        } catch (RateLimitedException e) {
            emailPage(call, Pages.status(call, e), form, e.getMessage());
        }
    }

    private void codePage(HttpCall call, int status, Form form, String error) {
        var chrome = pages.anonymousChrome(call);
        if (error != null) chrome = chrome.withError(error);
        else if (call.queryParam("sent").isPresent()) chrome = chrome.withNotice(EmailSignInRoutes.REQUESTED);
        pages.render(call, status, "sign_in_code.jte", new SignInCodePage(chrome, form));
    }

    private void signInWithCode(HttpCall call) {
        Form form = Form.of(call.form());
        try {
            SignInOutcome outcome = signIn.signInWithCode(new SignInWithCodeCommand(form.value("email"),
                    form.value("code"), call.header("User-Agent").orElse(""), call.clientAddress().getHostAddress()));
            if (outcome instanceof SecondFactorRequired pending) {
                secondFactor.ask(call, pending, "/"); // no session yet
                return;
            }
            SignedIn signedIn = (SignedIn) outcome;
            pages.cookie().set(call, signedIn.sessionToken());
            call.redirect("/");
        } catch (InvalidInputException e) {
            codePage(call, 422, form.withErrors(e), null);
        } catch (UnauthenticatedException e) {
            codePage(call, 401, form, e.getMessage());
        } catch (RateLimitedException e) {
            codePage(call, Pages.status(call, e), form, e.getMessage());
        }
    }

    private void linkPage(HttpCall call) {
        String token = call.queryParam("token").orElse("");
        Optional<Email> email = signIn.linkFor(token);
        renderLink(call, email.isPresent() ? 200 : 422, token, email);
    }

    private void renderLink(HttpCall call, int status, String token, Optional<Email> email) {
        call.setHeader("Referrer-Policy", "strict-origin"); // the address holds the token (see PasswordResetPages)
        Chrome chrome = pages.optionalChrome(call);
        pages.render(call, status, "sign_in_link.jte", new SignInLinkPage(chrome, token,
                email.map(Email::value).orElse(null), chrome.userEmail()));
    }

    private void signInWithLink(HttpCall call) {
        String token = call.formParam("token").orElse("");
        if (pages.optionalUser(call).isPresent()) {
            // a link works only in a browser nobody is signed in to: else someone could mail a link to their own
            // account to a signed-in victim, whose next steps would then be taken in the sender's account
            renderLink(call, 409, token, signIn.linkFor(token));
            return;
        }
        SignInOutcome signedIn;
        try {
            signedIn = signIn.signInWithLink(new SignInWithLinkCommand(token, call.header("User-Agent").orElse(""),
                    call.clientAddress().getHostAddress()));
        } catch (InvalidInputException e) {
            renderLink(call, 422, token, Optional.empty());
            return;
        }
        if (signedIn instanceof SecondFactorRequired pending) {
            secondFactor.ask(call, pending, "/"); // no session yet
            return;
        }
        pages.cookie().set(call, ((SignedIn) signedIn).sessionToken());
        call.redirect("/");
    }
}
