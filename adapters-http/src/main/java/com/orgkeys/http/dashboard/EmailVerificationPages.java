package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.VerifyEmailUseCase;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase.VerifyEmailCommand;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.dashboard.PageModels.VerifyEmailPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/**
 * The page the verification mail's link opens: signed in, one click confirms (mail scanners fetch links, so the GET
 * changes nothing). The token goes on in the form body; a Referer from the page names the origin only.
 */
final class EmailVerificationPages {
    private final Pages pages;
    private final VerifyEmailUseCase verification;

    EmailVerificationPages(Pages pages, VerifyEmailUseCase verification) {
        this.pages = pages;
        this.verification = verification;
    }

    void register(Router router) {
        router.get("/verify-email", pages.get(this::page));
        router.post("/verify-email", pages.post(this::verify));
    }

    private void page(HttpCall call) {
        String token = call.queryParam("token").orElse("");
        call.setHeader("Referrer-Policy", "strict-origin"); // the address holds the token (see PasswordResetPages)
        if (pages.optionalUser(call).isEmpty()) {
            throw new Pages.Redirect("/sign-in?next=" + Pages.encode("/verify-email?token=" + Pages.encode(token)));
        }
        var signed = pages.signedIn(call);
        pages.render(call, 200, "verify_email.jte", new VerifyEmailPage(signed.chrome(), token));
    }

    private void verify(HttpCall call) {
        var signed = pages.signedIn(call);
        String token = call.formParam("token").orElse("");
        try {
            verification.verifyEmail(signed.caller(), new VerifyEmailCommand(token, null));
            call.redirect((signed.caller().organizationId().isPresent() ? "/agents" : "/organizations/new")
                    + "?notice=email-verified");
        } catch (InvalidInputException e) {
            call.setHeader("Referrer-Policy", "strict-origin");
            pages.render(call, 422, "verify_email.jte", new VerifyEmailPage(signed.chrome().withError(
                    "This link is not valid for your account: it may have expired or been used. Ask for a new mail."),
                    token));
        }
    }
}
