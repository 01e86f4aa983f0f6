package com.orgkeys.http.dashboard;

import com.orgkeys.application.secretkey.port.in.AdministerSecretKeysUseCase;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.SecretKeyCreatedPage;
import com.orgkeys.http.dashboard.PageModels.SecretKeyRevokePage;
import com.orgkeys.http.dashboard.PageModels.SecretKeyRow;
import com.orgkeys.http.dashboard.PageModels.SecretKeysPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.Requests;

/**
 * The instance administrators' page (ADMIN_EMAILS): the backend secret keys, as the jar's {@code secret-keys} command
 * manages them. Anyone else gets the 404 page: the use case says no such page exists.
 */
final class SecretKeyPages {
    static final String PATH = "/admin/secret-keys";

    private final Pages pages;
    private final AdministerSecretKeysUseCase keys;

    SecretKeyPages(Pages pages, AdministerSecretKeysUseCase keys) {
        this.pages = pages;
        this.keys = keys;
    }

    void register(Router router) {
        router.get(PATH, pages.get(call -> list(call, 200, null, Form.empty())));
        router.post(PATH, pages.post(this::create));
        router.get(PATH + "/{id}/revoke", pages.get(this::revokePage));
        router.post(PATH + "/{id}/revoke", pages.post(this::revoke));
    }

    private void list(HttpCall call, int status, String error, Form form) {
        var signed = pages.signedIn(call);
        var rows = keys.list(signed.caller()).stream().map(k -> row(k, signed.caller())).toList();
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "admin/secret_keys.jte", new SecretKeysPage(chrome, rows, form));
    }

    private void create(HttpCall call) {
        var signed = pages.signedIn(call);
        Form form = Form.empty().with("name", call.formParam("name").orElse(""));
        try {
            var created = keys.create(signed.caller(), form.value("name"), call.formParam("currentPassword").orElse(""));
            // The secret is in this answer only: never in a URL, a redirect, or anything stored.
            pages.render(call, 201, "admin/secret_key_created.jte",
                    new SecretKeyCreatedPage(signed.chrome(), row(created.key(), signed.caller()), created.secret()));
        } catch (InvalidInputException e) {
            list(call, 422, null, form.withErrors(e));
        } catch (RateLimitedException e) {
            list(call, Pages.status(call, e), e.getMessage(), form);
        }
    }

    private void revokePage(HttpCall call) {
        var signed = pages.signedIn(call);
        SecretKey key = find(call, signed.caller());
        pages.render(call, 200, "admin/secret_key_revoke.jte",
                new SecretKeyRevokePage(signed.chrome(), row(key, signed.caller())));
    }

    private void revoke(HttpCall call) {
        var signed = pages.signedIn(call);
        keys.revoke(signed.caller(), keyId(call));
        call.redirect(PATH + "?notice=secret-key-revoked");
    }

    private SecretKey find(HttpCall call, UserCaller caller) {
        SecretKeyId id = keyId(call);
        return keys.list(caller).stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("No secret key " + id + "."));
    }

    private static SecretKeyId keyId(HttpCall call) {
        return Requests.pathId(call, "id", SecretKeyId::new, "No secret key");
    }

    private SecretKeyRow row(SecretKey key, UserCaller caller) {
        return new SecretKeyRow(key.id().toString(), key.name(), key.hint(), who(key.createdBy(), caller),
                pages.time(key.createdAt()), key.revoked(), pages.time(key.revokedAt(), ""));
    }

    /** "cli:ops" and "user:<id>" as a person reads them. */
    private static String who(String operator, UserCaller caller) {
        if (operator.equals("user:" + caller.userId())) return "you";
        if (operator.startsWith("cli:")) return "the command line (" + operator.substring(4) + ")";
        return "an administrator (" + operator + ")";
    }
}
