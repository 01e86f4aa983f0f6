package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.SignInByEmailUseCase;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.RequestSignInMailCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithCodeCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithLinkCommand;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/** Sign-in without the password: ask for a mail, then sign in with its code or its link's token. */
public final class EmailSignInRoutes {
    /** The one answer to every request, whether the email has an account or not. */
    public static final String REQUESTED = "If an account uses this email, a sign-in link and code are on their way.";

    record SignInMailRequest(String email) {
    }

    record SignInWithCodeRequest(String email, String code) {
        @Override
        public String toString() {
            return "SignInWithCodeRequest[email=" + email + "]";
        }
    }

    record SignInWithLinkRequest(String token) {
        @Override
        public String toString() {
            return "SignInWithLinkRequest[***]";
        }
    }

    private final SignInByEmailUseCase signIn;
    private final Authenticator auth;
    private final SessionCookie cookie;

    public EmailSignInRoutes(SignInByEmailUseCase signIn, Authenticator auth, SessionCookie cookie) {
        this.signIn = signIn;
        this.auth = auth;
        this.cookie = cookie;
    }

    public void register(Router router) {
        router.post("/api/auth/sign-in/email", Access.PUBLIC, this::request);
        router.post("/api/auth/sign-in/code", Access.PUBLIC, this::code);
        router.post("/api/auth/sign-in/link", Access.PUBLIC, this::link);
    }

    private void request(HttpCall call) {
        SignInMailRequest body = call.body(SignInMailRequest.class);
        signIn.requestSignInMail(new RequestSignInMailCommand(body.email(), call.clientAddress().getHostAddress()));
        call.json(202, new PasswordResetRoutes.MessageJson(REQUESTED));
    }

    private void code(HttpCall call) {
        SignInWithCodeRequest body = call.body(SignInWithCodeRequest.class);
        AccountRoutes.answer(call, cookie, signIn.signInWithCode(new SignInWithCodeCommand(body.email(), body.code(),
                call.header("User-Agent").orElse(""), call.clientAddress().getHostAddress())));
    }

    private void link(HttpCall call) {
        SignInWithLinkRequest body = call.body(SignInWithLinkRequest.class);
        // only where nobody is signed in, as on the dashboard (a link to someone's own account, sent to a victim)
        if (!Authenticator.usesBearer(call) && auth.caller(call).isPresent()) throw new ConflictException(SIGN_OUT_FIRST);
        AccountRoutes.answer(call, cookie, signIn.signInWithLink(new SignInWithLinkCommand(body.token(),
                call.header("User-Agent").orElse(""), call.clientAddress().getHostAddress())));
    }

    static final String SIGN_OUT_FIRST = "Sign out first: a sign-in link works only where nobody is signed in.";
}
