package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ResetPasswordUseCase;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.ConfirmResetCommand;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.RequestResetCommand;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.http.account.PasswordResetRoutes;
import com.orgkeys.http.dashboard.PageModels.ForgotPasswordPage;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.ResetPasswordPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/**
 * "Forgot password?": ask for a link by mail, then the page the link opens. The token travels in the query of the
 * link, then in the form body; a Referer from these pages names the origin only, so that it never leaves in one.
 */
final class PasswordResetPages {
    private final Pages pages;
    private final ResetPasswordUseCase reset;

    PasswordResetPages(Pages pages, ResetPasswordUseCase reset) {
        this.pages = pages;
        this.reset = reset;
    }

    void register(Router router) {
        router.get("/forgot-password", pages.get(call -> forgotPage(call, 200, Form.empty(), null)));
        router.post("/forgot-password", pages.post(this::forgot));
        router.get("/forgot-password/sent", pages.get(this::sentPage));
        router.get("/reset-password", pages.get(this::resetLinkPage));
        router.post("/reset-password", pages.post(this::resetPassword));
    }

    private void forgotPage(HttpCall call, int status, Form form, String error) {
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "forgot_password.jte",
                new ForgotPasswordPage(error == null ? chrome : chrome.withError(error), form, false));
    }

    private void forgot(HttpCall call) {
        Form form = Form.of(call.form());
        try {
            reset.requestReset(new RequestResetCommand(form.value("email"), call.clientAddress().getHostAddress()));
            call.redirect("/forgot-password/sent");
        } catch (InvalidInputException e) {
            forgotPage(call, 422, form.withErrors(e), null);
        } catch (RateLimitedException e) {
            forgotPage(call, Pages.status(call, e), form, e.getMessage());
        }
    }

    private void sentPage(HttpCall call) {
        pages.render(call, 200, "forgot_password.jte",
                new ForgotPasswordPage(pages.anonymousChrome(call).withNotice(PasswordResetRoutes.REQUESTED),
                        Form.empty(), true));
    }

    private void resetLinkPage(HttpCall call) {
        String token = call.queryParam("token").orElse("");
        if (reset.resetLinkWorks(token)) {
            resetPage(call, 200, token, Form.empty(), null);
        } else {
            resetPage(call, 422, token, Form.empty(), BAD_LINK);
        }
    }

    private static final String BAD_LINK = "This reset link is not valid: it may have expired or been used. Ask for a new one.";

    private void resetPage(HttpCall call, int status, String token, Form form, String error) {
        // The address holds the token: a Referer carries the origin at most. Not no-referrer: with it, browsers send
        // "Origin: null" with the form post, which the CSRF check rightly refuses.
        call.setHeader("Referrer-Policy", "strict-origin");
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "reset_password.jte",
                new ResetPasswordPage(error == null ? chrome : chrome.withError(error), token, form,
                        !BAD_LINK.equals(error)));
    }

    private void resetPassword(HttpCall call) {
        Form form = Form.of(call.form());
        String token = call.formParam("token").orElse("");
        try {
            var done = reset.confirmReset(new ConfirmResetCommand(token, call.formParam("password").orElse(""),
                    call.clientAddress().getHostAddress()));
            PasswordResetRoutes.logReset(done);
            pages.cookie().clear(call); // this browser's session, if any, was signed out with the others
            call.redirect("/sign-in?notice=password-reset");
        } catch (InvalidInputException e) {
            boolean badLink = e.errors().stream().anyMatch(f -> f.field().equals("token"));
            resetPage(call, 422, token, form.withErrors(e), badLink ? BAD_LINK : null);
        }
    }
}
