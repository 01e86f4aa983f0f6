package com.orgkeys.http.passkey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.FinishRegistrationCommand;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.Registered;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase.PasskeySecondFactorCommand;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase.PasskeySignInCommand;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.http.account.AccountRoutes;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;
import java.util.List;

/**
 * Passkeys (WebAuthn): the signed-in user's own (sessions only: API keys cannot manage a user's factors), and
 * signing in with one, passwordless or as the second factor. Each ceremony is two calls: options (for
 * {@code navigator.credentials}, as {@code PublicKeyCredential.parse…OptionsFromJSON} takes them), then the
 * browser's answer ({@code credential.toJSON()}) with the ceremony's id.
 */
public final class PasskeyRoutes {
    public record PasskeyJson(String id, String name, Instant createdAt, Instant lastUsedAt) {
        public static PasskeyJson of(Passkey p) {
            return new PasskeyJson(p.id().toString(), p.name().value(), p.createdAt(), p.lastUsedAt().orElse(null));
        }
    }

    /** The new passkey; {@code recoveryCodes} only when it came with the account's first ones (shown once). */
    record RegisteredJson(String id, String name, Instant createdAt, Instant lastUsedAt,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> recoveryCodes) {
        static RegisteredJson of(Registered registered) {
            PasskeyJson p = PasskeyJson.of(registered.passkey());
            return new RegisteredJson(p.id(), p.name(), p.createdAt(), p.lastUsedAt(), registered.recoveryCodes());
        }

        @Override
        public String toString() {
            return "RegisteredJson[" + id + ", ***]";
        }
    }

    /** {@code publicKey}: the WebAuthn options, JSON as the relying party made them. */
    record OptionsJson(String ceremonyId, @JsonRawValue String publicKey) {
        static OptionsJson of(PasskeyOptions options) {
            return new OptionsJson(options.ceremonyId().toString(), options.publicKey());
        }
    }

    /** Empty: the body may be left out (anything else in it is refused). */
    record EmptyRequest() {
    }

    record RegistrationRequest(String ceremonyId, String name, JsonNode credential) {
        @Override
        public String toString() {
            return "RegistrationRequest[" + ceremonyId + "]";
        }
    }

    record RenameRequest(String name) {
    }

    record RemoveRequest(String currentPassword) {
        @Override
        public String toString() {
            return "RemoveRequest[***]";
        }
    }

    record SignInRequest(String ceremonyId, JsonNode credential) {
        @Override
        public String toString() {
            return "SignInRequest[" + ceremonyId + "]";
        }
    }

    record SecondFactorOptionsRequest(String signInToken) {
        @Override
        public String toString() {
            return "SecondFactorOptionsRequest[***]";
        }
    }

    record SecondFactorRequest(String signInToken, String ceremonyId, JsonNode credential) {
        @Override
        public String toString() {
            return "SecondFactorRequest[***]";
        }
    }

    private final ManagePasskeysUseCase passkeys;
    private final SignInWithPasskeyUseCase signIn;
    private final Authenticator auth;
    private final SessionCookie cookie;

    public PasskeyRoutes(ManagePasskeysUseCase passkeys, SignInWithPasskeyUseCase signIn, Authenticator auth,
                         SessionCookie cookie) {
        this.passkeys = passkeys;
        this.signIn = signIn;
        this.auth = auth;
        this.cookie = cookie;
    }

    public void register(com.orgkeys.http.server.Router router) {
        router.get("/api/account/passkeys", Access.USER, this::list);
        router.post("/api/account/passkeys/registration/options", Access.USER, this::registrationOptions);
        router.post("/api/account/passkeys/registration", Access.USER, this::register);
        router.patch("/api/account/passkeys/{id}", Access.USER, this::rename);
        router.delete("/api/account/passkeys/{id}", Access.USER, this::remove);
        router.post("/api/auth/sign-in/passkey/options", Access.PUBLIC, this::signInOptions);
        router.post("/api/auth/sign-in/passkey", Access.PUBLIC, this::signIn);
        router.post("/api/auth/sign-in/second-factor/passkey/options", Access.PUBLIC, this::secondFactorOptions);
        router.post("/api/auth/sign-in/second-factor/passkey", Access.PUBLIC, this::secondFactor);
    }

    private void list(HttpCall call) {
        call.json(200, new JsonBodies.ListJson<>(passkeys.list(auth.requireUser(call)).stream()
                .map(PasskeyJson::of).toList()));
    }

    private void registrationOptions(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        if (call.hasBody()) call.body(EmptyRequest.class);
        call.json(200, OptionsJson.of(passkeys.startRegistration(caller)));
    }

    private void register(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        RegistrationRequest body = call.body(RegistrationRequest.class);
        Registered created = passkeys.finishRegistration(caller, new FinishRegistrationCommand(body.ceremonyId(),
                body.name(), text(body.credential())));
        call.setHeader("Cache-Control", "no-store"); // the answer may hold the recovery codes
        call.json(201, RegisteredJson.of(created));
    }

    private void rename(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        RenameRequest body = call.body(RenameRequest.class); // read first: a refused id still consumes the body
        PasskeyId id = Requests.pathId(call, "id", PasskeyId::new, "No passkey");
        call.json(200, PasskeyJson.of(passkeys.rename(caller, id, body.name())));
    }

    private void remove(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        RemoveRequest body = call.body(RemoveRequest.class);
        PasskeyId id = Requests.pathId(call, "id", PasskeyId::new, "No passkey");
        passkeys.remove(caller, id, body.currentPassword());
        call.noContent();
    }

    private void signInOptions(HttpCall call) {
        if (call.hasBody()) call.body(EmptyRequest.class);
        call.json(200, OptionsJson.of(signIn.startSignIn(call.clientAddress().getHostAddress())));
    }

    private void signIn(HttpCall call) {
        SignInRequest body = call.body(SignInRequest.class);
        AccountRoutes.answer(call, cookie, signIn.finishSignIn(new PasskeySignInCommand(body.ceremonyId(),
                text(body.credential()), call.header("User-Agent").orElse(""),
                call.clientAddress().getHostAddress())));
    }

    private void secondFactorOptions(HttpCall call) {
        SecondFactorOptionsRequest body = call.body(SecondFactorOptionsRequest.class);
        call.json(200, OptionsJson.of(signIn.startSecondFactor(body.signInToken(), call.clientAddress().getHostAddress())));
    }

    private void secondFactor(HttpCall call) {
        SecondFactorRequest body = call.body(SecondFactorRequest.class);
        AccountRoutes.answer(call, cookie, signIn.finishSecondFactor(new PasskeySecondFactorCommand(
                body.signInToken(), body.ceremonyId(), text(body.credential()), call.header("User-Agent").orElse(""),
                call.clientAddress().getHostAddress())));
    }

    /** The browser's answer as JSON text for the relying party; null when it was left out (or is JSON null). */
    private static String text(JsonNode credential) {
        return credential == null || credential.isNull() ? null : credential.toString();
    }
}
