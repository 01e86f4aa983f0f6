package com.orgkeys.http.dashboard;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.InvitationPreview;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.dashboard.PageModels.AcceptInvitationPage;
import com.orgkeys.http.dashboard.PageModels.CreateOrganizationPage;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.SessionRow;
import com.orgkeys.http.dashboard.PageModels.SessionsPage;
import com.orgkeys.http.dashboard.PageModels.SignInPage;
import com.orgkeys.http.dashboard.PageModels.SignUpPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.Requests;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Sign-up, sign-in, sign-out, sessions, creating and switching organizations, accepting an invitation. */
final class AccountPages {
    /** Far above any real address (254); a longer suggestion is ignored rather than shown. */
    private static final int MAX_SUGGESTED_EMAIL = 320;
    private final Pages pages;
    private final SecondFactorPages secondFactor;
    private final ManageSessionsUseCase sessions;
    private final ManageOrganizationsUseCase organizations;
    private final ManageInvitationsUseCase invitations;

    AccountPages(Pages pages, SecondFactorPages secondFactor, ManageSessionsUseCase sessions,
                 ManageOrganizationsUseCase organizations, ManageInvitationsUseCase invitations) {
        this.pages = pages;
        this.secondFactor = secondFactor;
        this.sessions = sessions;
        this.organizations = organizations;
        this.invitations = invitations;
    }

    void register(Router router) {
        router.get("/", pages.get(this::home));
        router.get("/sign-in", pages.get(call -> signInPage(call, 200, suggestedEmail(call), null)));
        router.post("/sign-in", pages.post(this::signIn));
        router.get("/sign-up", pages.get(call -> signUpPage(call, 200, suggestedEmail(call), null)));
        router.post("/sign-up", pages.post(this::signUp));
        router.post("/sign-out", pages.post(this::signOut));
        router.get("/sessions", pages.get(this::sessionsPage));
        router.post("/sessions/{id}/revoke", pages.post(this::revokeSession));
        router.get("/organizations/new", pages.get(call -> createOrganizationPage(call, 200, Form.empty(), null)));
        router.post("/organizations/new", pages.post(this::createOrganization));
        router.post("/organizations/switch", pages.post(this::switchOrganization));
        router.get("/invitations/accept", pages.get(this::acceptPage));
        router.post("/invitations/accept", pages.post(this::accept));
        router.post("/invitations/decline", pages.post(this::decline));
        router.post("/invitations/switch-account", pages.post(this::switchAccount));
    }

    private void home(HttpCall call) {
        Optional<UserCaller> user = pages.optionalUser(call);
        // a notice sent here ("invitation declined") goes along to the page the user lands on
        String notice = call.queryParam("notice").filter(Pages::isNotice).map(n -> "?notice=" + n).orElse("");
        if (user.isEmpty()) throw new Pages.Redirect("/sign-in" + notice);
        throw new Pages.Redirect((user.get().organizationId().isPresent() ? "/agents" : "/organizations/new") + notice);
    }

    /** {@code ?email=} of a link to sign in or up (the invitation page's), as the form's first value. */
    private static Form suggestedEmail(HttpCall call) {
        return call.queryParam("email").filter(e -> e.length() <= MAX_SUGGESTED_EMAIL)
                .map(e -> Form.empty().with("email", e)).orElse(Form.empty());
    }

    // ---- sign-in / sign-up / sign-out ---------------------------------------------------------------------

    private String next(HttpCall call, Form form) {
        String raw = call.method().equals("POST") ? form.value("next") : call.queryParam("next").orElse("");
        return Pages.safeNext(raw, "");
    }

    private void signInPage(HttpCall call, int status, Form form, String error) {
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "sign_in.jte",
                new SignInPage(error == null ? chrome : chrome.withError(error), form, next(call, form)));
    }

    private void signUpPage(HttpCall call, int status, Form form, String error) {
        var chrome = pages.anonymousChrome(call);
        pages.render(call, status, "sign_up.jte",
                new SignUpPage(error == null ? chrome : chrome.withError(error), form, next(call, form)));
    }

    private void signIn(HttpCall call) {
        Form form = Form.of(call.form());
        try {
            SignInOutcome outcome = sessions.signIn(new ManageSessionsUseCase.SignInCommand(form.value("email"),
                    call.formParam("password").orElse(""), call.header("User-Agent").orElse(""),
                    call.clientAddress().getHostAddress()));
            if (outcome instanceof SecondFactorRequired pending) {
                secondFactor.ask(call, pending, Pages.safeNext(form.value("next"), "/")); // no session yet
                return;
            }
            SignedIn signedIn = (SignedIn) outcome;
            pages.cookie().set(call, signedIn.sessionToken());
            call.redirect(Pages.safeNext(form.value("next"), "/"));
        } catch (InvalidInputException e) {
            signInPage(call, 422, form.withErrors(e), null);
        } catch (UnauthenticatedException e) {
            signInPage(call, 401, form, e.getMessage());
        } catch (RateLimitedException e) {
            signInPage(call, Pages.status(call, e), form, e.getMessage());
        }
    }

    private void signUp(HttpCall call) {
        Form form = Form.of(call.form());
        try {
            SignedIn signedIn = sessions.signUp(new ManageSessionsUseCase.SignUpCommand(form.value("email"),
                    call.formParam("password").orElse(""), form.value("name"), call.header("User-Agent").orElse(""),
                    call.clientAddress().getHostAddress()));
            pages.cookie().set(call, signedIn.sessionToken());
            call.redirect(Pages.safeNext(form.value("next"), "/organizations/new"));
        } catch (InvalidInputException e) {
            signUpPage(call, 422, form.withErrors(e), null);
        } catch (ConflictException e) {
            signUpPage(call, 409, form, e.getMessage());
        } catch (RateLimitedException e) {
            signUpPage(call, Pages.status(call, e), form, e.getMessage());
        }
    }

    private void signOut(HttpCall call) {
        pages.optionalUser(call).ifPresent(sessions::signOut);
        pages.cookie().clear(call);
        call.redirect("/sign-in?notice=signed-out");
    }

    // ---- sessions -----------------------------------------------------------------------------------------

    private void sessionsPage(HttpCall call) {
        var signed = pages.signedIn(call);
        renderSessions(call, 200, signed.chrome(), signed.caller());
    }

    private void renderSessions(HttpCall call, int status, PageModels.Chrome chrome, UserCaller caller) {
        // parsed here, when the page is shown, not when a session is used; once per distinct string of the page
        Map<String, String> browsers = new HashMap<>();
        var rows = sessions.listSessions(caller).stream()
                .map(s -> new SessionRow(s.id().toString(),
                        browsers.computeIfAbsent(s.userAgent(), Browsers::describe),
                        s.clientAddress().isEmpty() ? "unknown" : s.clientAddress(),
                        pages.time(s.createdAt()), pages.time(s.lastActiveAt()),
                        s.id().equals(caller.sessionId())))
                .toList();
        pages.render(call, status, "sessions.jte", new SessionsPage(chrome, rows));
    }

    private void revokeSession(HttpCall call) {
        var signed = pages.signedIn(call);
        SessionId id = Requests.pathId(call, "id", SessionId::new, "No session");
        sessions.revokeSession(signed.caller(), id);
        if (id.equals(signed.caller().sessionId())) {
            pages.cookie().clear(call);
            call.redirect("/sign-in?notice=signed-out");
        } else {
            call.redirect("/sessions?notice=session-revoked");
        }
    }

    // ---- organizations ------------------------------------------------------------------------------------

    private void createOrganizationPage(HttpCall call, int status, Form form, String error) {
        var signed = pages.signedIn(call);
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "create_organization.jte", new CreateOrganizationPage(chrome, form));
    }

    private void createOrganization(HttpCall call) {
        var signed = pages.signedIn(call);
        Form form = Form.of(call.form());
        try {
            String slug = form.value("slug").strip();
            organizations.createOrganization(signed.caller(), new ManageOrganizationsUseCase.CreateOrganizationCommand(
                    form.value("name"), slug.isEmpty() ? Optional.empty() : Optional.of(slug)));
            call.redirect("/settings?notice=created");
        } catch (InvalidInputException e) {
            createOrganizationPage(call, 422, form.withErrors(e), null);
        } catch (ConflictException e) {
            createOrganizationPage(call, 409, form, e.getMessage());
        }
    }

    private void switchOrganization(HttpCall call) {
        var signed = pages.signedIn(call);
        String chosen = call.formParam("organizationId").orElse("");
        if (chosen.isEmpty()) throw new Pages.Redirect("/"); // the "Choose an organization…" placeholder: nothing to switch to
        OrganizationId id;
        try {
            id = OrganizationId.parse(chosen);
        } catch (RuntimeException e) {
            throw new NotFoundException("No such organization.");
        }
        organizations.switchActiveOrganization(signed.caller(), id);
        call.redirect("/agents?notice=switched");
    }

    // ---- invitations --------------------------------------------------------------------------------------

    private void acceptPage(HttpCall call) {
        invitationPage(call, 200, call.queryParam("token").orElse(""), null);
    }

    /**
     * The invitation as its link's holder sees it, signed in or not: the organization, who invited, the role's name,
     * and what to do next (sign in or up as the invited address, switch accounts, verify, accept or decline). An
     * unknown token is a 404 page; an invitation that can no longer be answered, a 410 page saying why.
     */
    private void invitationPage(HttpCall call, int status, String token, String error) {
        InvitationPreview preview = invitations.previewInvitation(token);
        Optional<UserCaller> user = pages.optionalUser(call);
        var chrome = user.isPresent() ? pages.signedIn(call).chrome() : pages.anonymousChrome(call);
        pages.render(call, preview.pending() ? status : 410, "accept_invitation.jte",
                new AcceptInvitationPage(error == null ? chrome : chrome.withError(error), token, preview));
    }

    private void accept(HttpCall call) {
        answer(call, invitations::acceptInvitation, "/agents?notice=joined");
    }

    private void decline(HttpCall call) {
        answer(call, invitations::declineInvitation, "/?notice=invitation-declined");
    }

    /** Accepting or declining: on success off to {@code then}; refused, the invitation page saying why. */
    private void answer(HttpCall call, java.util.function.BiConsumer<UserCaller, String> answer, String then) {
        var signed = pages.signedIn(call);
        String token = call.formParam("token").orElse("");
        try {
            answer.accept(signed.caller(), token);
            call.redirect(then);
        } catch (InvalidInputException | ConflictException | ForbiddenException | NotFoundException e) {
            answerRefused(call, token, e);
        }
    }

    /** The invitation page again with why the answer was refused; an unknown token, the plain error page. */
    private void answerRefused(HttpCall call, String token, RuntimeException e) {
        int status = Pages.status(call, (com.orgkeys.domain.shared.DomainException) e);
        if (e instanceof NotFoundException) {
            pages.error(call, status, e.getMessage());
            return;
        }
        invitationPage(call, status, token, Pages.message(e));
    }

    /**
     * "Sign out and continue as the invited address", in one click: this session ends, and the sign-in page opens
     * with that address filled in and the invitation as the way back.
     */
    private void switchAccount(HttpCall call) {
        String token = call.formParam("token").orElse("");
        InvitationPreview preview = invitations.previewInvitation(token); // an unknown token: 404, still signed in
        pages.optionalUser(call).ifPresent(sessions::signOut);
        pages.cookie().clear(call);
        String back = "/invitations/accept?token=" + Pages.encode(token);
        call.redirect(preview.pending()
                ? "/sign-in?email=" + Pages.encode(preview.email().value()) + "&next=" + Pages.encode(back)
                : back);
    }
}
