package com.orgkeys.http.dashboard;

import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.FinishRegistrationCommand;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.Registered;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase.RecoveryCodesIssued;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase.TotpEnrollment;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase.TwoFactorStatus;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.passkey.PasskeyName;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.http.dashboard.PageModels.Chrome;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.PasskeyCeremony;
import com.orgkeys.http.dashboard.PageModels.PasskeyRow;
import com.orgkeys.http.dashboard.PageModels.PasskeySection;
import com.orgkeys.http.dashboard.PageModels.TwoFactorPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.Requests;
import io.nayuki.qrcodegen.QrCode;

import java.util.List;

/**
 * The signed-in user's two-factor sign-in: status, enrolling an authenticator app (QR code of the otpauth:// URI as
 * inline SVG, which the CSP allows as it is markup, not script or style; the secret as text), confirming it with a
 * code, the recovery codes shown once, new codes and turning it off (both with the current password). These pages
 * need no organization, so an organization that requires two-factor sign-in does not hold them back: its members
 * without a second factor are sent here from its pages, and told why. Passkeys too: adding one is two posts (a name
 * starts the ceremony; passkeys.js posts the browser's answer), renaming one a post, removing one a post with the
 * current password.
 */
final class TwoFactorPages {
    private final Pages pages;
    private final ManageTwoFactorUseCase twoFactor;
    private final ManagePasskeysUseCase passkeys;

    TwoFactorPages(Pages pages, ManageTwoFactorUseCase twoFactor, ManagePasskeysUseCase passkeys) {
        this.pages = pages;
        this.twoFactor = twoFactor;
        this.passkeys = passkeys;
    }

    void register(Router router) {
        router.get("/account/two-factor", pages.get(call -> {
            var signed = pages.signedIn(call);
            render(call, 200, signed.chrome(), signed.caller(), null, List.of(), Form.empty(), Form.empty());
        }));
        router.post("/account/two-factor/start", pages.post(this::start));
        router.post("/account/two-factor/confirm", pages.post(this::confirm));
        router.post("/account/two-factor/recovery-codes", pages.post(this::regenerate));
        router.post("/account/two-factor/disable", pages.post(this::disable));
        router.post("/account/passkeys/start", pages.post(this::startPasskey));
        router.post("/account/passkeys", pages.post(this::addPasskey));
        router.post("/account/passkeys/{id}/rename", pages.post(this::renamePasskey));
        router.post("/account/passkeys/{id}/remove", pages.post(this::removePasskey));
    }

    private void render(HttpCall call, int status, Chrome chrome, UserCaller caller, TotpEnrollment enrollment,
                        List<String> codes, Form codeForm, Form passwordForm) {
        render(call, status, chrome, caller, enrollment, codes, codeForm, passwordForm, null, Form.empty());
    }

    private void render(HttpCall call, int status, Chrome chrome, UserCaller caller, TotpEnrollment enrollment,
                        List<String> codes, Form codeForm, Form passwordForm, PasskeyCeremony creation,
                        Form passkeyForm) {
        TwoFactorStatus now = twoFactor.status(caller);
        String requiredBy = caller.secondFactorMissing() && chrome.active() != null ? chrome.active().name() : null;
        List<PasskeyRow> rows = passkeys.list(caller).stream().map(p -> new PasskeyRow(p.id().toString(),
                p.name().value(), pages.time(p.createdAt()), p.lastUsedAt().map(pages::time).orElse(null)))
                .toList();
        pages.render(call, status, "two_factor.jte", new TwoFactorPage(chrome, now.enabled(), now.pending(),
                now.recoveryCodesLeft(), enrollment == null ? null : enrollment.secret(),
                enrollment == null ? null : svg(enrollment.uri()), codes, codeForm, passwordForm, requiredBy,
                new PasskeySection(rows, creation, passkeyForm)));
    }

    private void startPasskey(HttpCall call) {
        var signed = pages.signedIn(call);
        Form form = Form.of(call.form());
        withPasskeyForm(call, signed, form, () -> {
            new PasskeyName(form.value("name")); // refused now rather than after the authenticator made a passkey
            PasskeyOptions options = passkeys.startRegistration(signed.caller());
            render(call, 200, signed.chrome(), signed.caller(), null, List.of(), Form.empty(), Form.empty(),
                    new PasskeyCeremony(options.ceremonyId().toString(), options.publicKey()), form);
        });
    }

    private void addPasskey(HttpCall call) {
        var signed = pages.signedIn(call);
        Form form = Form.of(call.form());
        withPasskeyForm(call, signed, form, () -> {
            Registered added = passkeys.finishRegistration(signed.caller(), new FinishRegistrationCommand(
                    form.value("ceremonyId"), form.value("name"), form.value("credential")));
            if (added.recoveryCodes().isEmpty()) {
                call.redirect("/account/two-factor?notice=passkey-added");
                return;
            }
            // the codes cannot survive a redirect without being stored in clear: shown on this answer, once
            call.setHeader("Cache-Control", "no-store");
            render(call, 200, signed.chrome().withNotice("Passkey added: two-factor sign-in is on. Keep these "
                            + "recovery codes somewhere safe: they are shown only now."),
                    signed.caller(), null, added.recoveryCodes(), Form.empty(), Form.empty());
        });
    }

    /** Runs a step of adding a passkey; its refusals re-render the page, field errors next to the name. */
    private void withPasskeyForm(HttpCall call, Pages.Signed signed, Form form, Runnable step) {
        try {
            step.run();
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), signed.caller(), null, List.of(), Form.empty(), Form.empty(), null,
                    form.withErrors(e));
        } catch (ConflictException e) {
            render(call, 409, signed.chrome().withError(e.getMessage()), signed.caller(), null, List.of(),
                    Form.empty(), Form.empty());
        }
    }

    private void renamePasskey(HttpCall call) {
        var signed = pages.signedIn(call);
        PasskeyId id = Requests.pathId(call, "id", PasskeyId::new, "No passkey");
        try {
            passkeys.rename(signed.caller(), id, call.formParam("name").orElse(""));
            call.redirect("/account/two-factor?notice=passkey-renamed");
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), signed.caller(), null, List.of(), Form.empty(), Form.empty(), null,
                    Form.empty().withErrors(List.of(new FieldError("rename-" + id, e.errors().getFirst().message()))));
        }
    }

    private void removePasskey(HttpCall call) {
        var signed = pages.signedIn(call);
        PasskeyId id = Requests.pathId(call, "id", PasskeyId::new, "No passkey");
        try {
            passkeys.remove(signed.caller(), id, call.formParam("currentPassword").orElse(""));
            boolean off = passkeys.list(signed.caller()).isEmpty() && !twoFactor.status(signed.caller()).enabled();
            call.redirect("/account/two-factor?notice=" + (off ? "last-passkey-removed" : "passkey-removed"));
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), signed.caller(), null, List.of(), Form.empty(), Form.empty(), null,
                    Form.empty().withErrors(List.of(new FieldError("remove-" + id, e.errors().getFirst().message()))));
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), signed.chrome().withError(e.getMessage()), signed.caller(), null,
                    List.of(), Form.empty(), Form.empty());
        }
    }

    private void start(HttpCall call) {
        var signed = pages.signedIn(call);
        try {
            TotpEnrollment enrollment = twoFactor.startTotp(signed.caller());
            call.setHeader("Cache-Control", "no-store"); // the page shows the secret
            render(call, 200, signed.chrome(), signed.caller(), enrollment, List.of(), Form.empty(), Form.empty());
        } catch (ConflictException e) {
            render(call, 409, signed.chrome().withError(e.getMessage()), signed.caller(), null, List.of(),
                    Form.empty(), Form.empty());
        }
    }

    private void confirm(HttpCall call) {
        var signed = pages.signedIn(call);
        try {
            RecoveryCodesIssued codes = twoFactor.confirmTotp(signed.caller(), call.formParam("code").orElse(""));
            call.setHeader("Cache-Control", "no-store"); // the page shows the recovery codes
            render(call, 200, signed.chrome().withNotice("Two-factor sign-in is on, and your other sessions are "
                            + "signed out. Keep these recovery codes somewhere safe: they are shown only now."),
                    signed.caller(), null, codes.codes(), Form.empty(), Form.empty());
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), signed.caller(), null, List.of(), Form.empty().withErrors(e), Form.empty());
        } catch (ConflictException e) {
            render(call, 409, signed.chrome().withError(e.getMessage()), signed.caller(), null, List.of(),
                    Form.empty(), Form.empty());
        }
    }

    private void regenerate(HttpCall call) {
        var signed = pages.signedIn(call);
        withCurrentPassword(call, signed, password -> {
            RecoveryCodesIssued codes = twoFactor.regenerateRecoveryCodes(signed.caller(), password);
            call.setHeader("Cache-Control", "no-store");
            render(call, 200, signed.chrome().withNotice("New recovery codes: the old ones no longer work. They are shown only now."),
                    signed.caller(), null, codes.codes(), Form.empty(), Form.empty());
        });
    }

    private void disable(HttpCall call) {
        var signed = pages.signedIn(call);
        withCurrentPassword(call, signed, password -> {
            twoFactor.disableTotp(signed.caller(), password);
            call.redirect("/account/two-factor?notice=" + (passkeys.list(signed.caller()).isEmpty()
                    ? "two-factor-disabled" : "authenticator-removed"));
        });
    }

    /** Runs a change confirmed by the form's current password; its refusals re-render the page with the reason. */
    private void withCurrentPassword(HttpCall call, Pages.Signed signed, java.util.function.Consumer<String> change) {
        try {
            change.accept(call.formParam("currentPassword").orElse(""));
        } catch (InvalidInputException e) {
            render(call, 422, signed.chrome(), signed.caller(), null, List.of(), Form.empty(), Form.empty().withErrors(e));
        } catch (ConflictException e) {
            render(call, 409, signed.chrome().withError(e.getMessage()), signed.caller(), null, List.of(),
                    Form.empty(), Form.empty());
        } catch (RateLimitedException e) {
            render(call, Pages.status(call, e), signed.chrome().withError(e.getMessage()), signed.caller(), null,
                    List.of(), Form.empty(), Form.empty());
        }
    }

    /** The QR code of {@code text} as an SVG element: one path of dark modules, a quiet zone of 4 modules. */
    static String svg(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int border = 4;
        int size = qr.size + border * 2;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) path.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
                + "\" width=\"240\" height=\"240\" role=\"img\" aria-label=\"QR code of the authenticator app's setup key\""
                + " shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }
}
