package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.VerifyEmailUseCase;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase.VerifyEmailCommand;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.http.dashboard.PageModels.VerifyEmailPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/**
 * The page the verification mail's link opens: signed in, one click confirms (mail scanners fetch links, so the GET
 * changes nothing). The token goes on in the form body; a Referer from the page names the origin only. Without a
 * token the page takes the mail's 6-digit code instead, and sends a new mail on request.
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
        router.post("/verify-email/resend", pages.post(this::resend));
    }

    private void page(HttpCall call) {
        String token = call.queryParam("token").orElse("");
        String next = next(call.queryParam("next").orElse(""));
        call.setHeader("Referrer-Policy", "strict-origin"); // the address holds the token (see PasswordResetPages)
        if (pages.optionalUser(call).isEmpty()) {
            String here = "/verify-email?token=" + Pages.encode(token) + (next.isEmpty() ? "" : "&next=" + Pages.encode(next));
            throw new Pages.Redirect("/sign-in?next=" + Pages.encode(here));
        }
        var signed = pages.signedIn(call);
        pages.render(call, 200, "verify_email.jte", new VerifyEmailPage(signed.chrome(), token, next, null));
    }

    private void verify(HttpCall call) {
        var signed = pages.signedIn(call);
        String token = call.formParam("token").orElse("");
        String code = call.formParam("code").orElse("");
        String next = next(call.formParam("next").orElse(""));
        boolean byLink = !token.isBlank();
        if (!byLink && code.isBlank()) {
            pages.render(call, 422, "verify_email.jte",
                    new VerifyEmailPage(signed.chrome(), "", next, "enter the 6-digit code from the mail"));
            return;
        }
        try {
            verification.verifyEmail(signed.caller(), byLink ? new VerifyEmailCommand(token, null)
                    : new VerifyEmailCommand(null, code));
            String fallback = signed.caller().organizationId().isPresent() ? "/agents" : "/organizations/new";
            call.redirect(next.isEmpty() ? fallback + "?notice=email-verified" : next);
        } catch (InvalidInputException e) {
            call.setHeader("Referrer-Policy", "strict-origin");
            if (byLink) {
                pages.render(call, 422, "verify_email.jte", new VerifyEmailPage(signed.chrome().withError(
                        "This link is not valid for your account: it may have expired or been used. Ask for a new mail."),
                        token, next, null));
            } else {
                pages.render(call, 422, "verify_email.jte",
                        new VerifyEmailPage(signed.chrome(), "", next, e.errors().getFirst().message()));
            }
        }
    }

    private void resend(HttpCall call) {
        var signed = pages.signedIn(call);
        try {
            verification.resendVerification(signed.caller());
            call.redirect("/verify-email?notice=verification-sent");
        } catch (ConflictException e) {
            call.redirect("/verify-email"); // verified already: the page says so
        } catch (RateLimitedException e) {
            pages.render(call, Pages.status(call, e), "verify_email.jte",
                    new VerifyEmailPage(signed.chrome().withError(e.getMessage()), "", "", null));
        }
    }

    /** Where to go once verified: a path on this site only. */
    private static String next(String next) {
        return Pages.safeNext(next, "");
    }
}
