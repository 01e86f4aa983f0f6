package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ChangeEmailUseCase;
import com.orgkeys.application.account.port.in.ChangeEmailUseCase.RequestEmailChangeCommand;
import com.orgkeys.application.account.port.in.ManageAccountUseCase;
import com.orgkeys.application.account.port.in.ManageAccountUseCase.ChangePasswordCommand;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.http.dashboard.PageModels.AccountPage;
import com.orgkeys.http.dashboard.PageModels.Chrome;
import com.orgkeys.http.dashboard.PageModels.ConfirmEmailChangePage;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

import java.util.List;

/**
 * The signed-in user's own account: name, password, email. The email change link's page confirms with one click
 * (mail scanners fetch links, so its GET changes nothing); the token goes on in the form body.
 */
final class AccountSettingsPages {
    private final Pages pages;
    private final ManageAccountUseCase account;
    private final ChangeEmailUseCase emailChange;

    AccountSettingsPages(Pages pages, ManageAccountUseCase account, ChangeEmailUseCase emailChange) {
        this.pages = pages;
        this.account = account;
        this.emailChange = emailChange;
    }

    void register(Router router) {
        router.get("/account", pages.get(call -> render(call, 200, pages.signedIn(call).chrome(), null, null, null)));
        router.post("/account/name", pages.post(this::changeName));
        router.post("/account/password", pages.post(this::changePassword));
        router.post("/account/email", pages.post(this::changeEmail));
        router.get("/account/email/confirm", pages.get(this::confirmPage));
        router.post("/account/email/confirm", pages.post(this::confirm));
    }

    /** The page with the three forms; a null form is shown fresh. */
    private void render(HttpCall call, int status, Chrome chrome, Form name, Form password, Form email) {
        pages.render(call, status, "account.jte", new AccountPage(chrome,
                name != null ? name : Form.empty().with("name", chrome.userName()),
                password != null ? password : Form.empty(), email != null ? email : Form.empty()));
    }

    private void changeName(HttpCall call) {
        var signed = pages.signedIn(call);
        Form form = Form.empty().with("name", call.formParam("name").orElse(""));
        try {
            account.changeName(signed.caller(), form.value("name"));
            call.redirect("/account?notice=name-changed");
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), form.withErrors(e), null, null);
        }
    }

    private void changePassword(HttpCall call) {
        var signed = pages.signedIn(call);
        try {
            account.changePassword(signed.caller(), new ChangePasswordCommand(
                    call.formParam("currentPassword").orElse(""), call.formParam("newPassword").orElse("")));
            call.redirect("/account?notice=password-changed");
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), null, Form.empty().withErrors(e), null); // passwords are never echoed
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), signed.chrome().withError(e.getMessage()), null, null, null);
        }
    }

    private void changeEmail(HttpCall call) {
        var signed = pages.signedIn(call);
        Form form = Form.empty().with("newEmail", call.formParam("newEmail").orElse(""));
        try {
            emailChange.requestEmailChange(signed.caller(), new RequestEmailChangeCommand(form.value("newEmail"),
                    call.formParam("currentPassword").orElse("")));
            call.redirect("/account?notice=email-change-sent");
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), null, null, form.withErrors(e));
        } catch (ConflictException e) {
            render(call, 409, signed.chrome(), null, null,
                    form.withErrors(List.of(new FieldError("newEmail", e.getMessage()))));
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), signed.chrome().withError(e.getMessage()), null, null, form);
        }
    }

    private void confirmPage(HttpCall call) {
        String token = call.queryParam("token").orElse("");
        call.setHeader("Referrer-Policy", "strict-origin"); // the address holds the token (see PasswordResetPages)
        if (pages.optionalUser(call).isEmpty()) {
            throw new Pages.Redirect("/sign-in?next=" + Pages.encode("/account/email/confirm?token=" + Pages.encode(token)));
        }
        var signed = pages.signedIn(call);
        pages.render(call, 200, "confirm_email_change.jte", new ConfirmEmailChangePage(signed.chrome(), token));
    }

    private void confirm(HttpCall call) {
        var signed = pages.signedIn(call);
        String token = call.formParam("token").orElse("");
        try {
            emailChange.confirmEmailChange(signed.caller(), token);
            call.redirect("/account?notice=email-changed");
        } catch (InvalidInputException | ConflictException e) {
            String message = e instanceof ConflictException ? e.getMessage() + " Your email was not changed."
                    : "This link is not valid for your account: it may have expired, been used or been replaced by a"
                    + " newer one. Ask for a new mail from your account page.";
            call.setHeader("Referrer-Policy", "strict-origin");
            pages.render(call, Pages.status(call, e), "confirm_email_change.jte",
                    new ConfirmEmailChangePage(signed.chrome().withError(message), token));
        }
    }
}
