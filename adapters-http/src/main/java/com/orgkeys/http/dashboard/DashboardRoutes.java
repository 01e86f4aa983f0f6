package com.orgkeys.http.dashboard;

import com.orgkeys.application.secretkey.port.in.AdministerSecretKeysUseCase;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase;
import com.orgkeys.application.account.port.in.ChangeEmailUseCase;
import com.orgkeys.application.account.port.in.GetCurrentUserUseCase;
import com.orgkeys.application.account.port.in.ManageAccountUseCase;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase;
import com.orgkeys.application.agent.port.in.ManageAgentsUseCase;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.ReadApiKeyUsageUseCase;
import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase;
import com.orgkeys.application.membership.port.in.ManageMembersUseCase;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase;
import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.server.Router;
import gg.jte.TemplateEngine;

import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase;

import java.net.URI;
import java.time.Clock;

/**
 * The browser dashboard: server-rendered jte pages that call the same use cases as the JSON API. Every form
 * post carries a synchronizer token; every page a strict Content-Security-Policy.
 */
public final class DashboardRoutes {
    /** The use cases the pages call, in one place so that wiring stays one line. */
    public record UseCases(ManageSessionsUseCase sessions, GetCurrentUserUseCase currentUser,
                           ManageOrganizationsUseCase organizations, ManageMembersUseCase members,
                           ManageRolesUseCase roles, ManageInvitationsUseCase invitations,
                           ListAuditEventsUseCase audit, ManageApiKeysUseCase apiKeys, ManageAgentsUseCase agents,
                           ReadServerSecretsUseCase secrets, ResetPasswordUseCase passwordReset,
                           VerifyEmailUseCase emailVerification, SignInByEmailUseCase emailSignIn,
                           ManageAccountUseCase accountSettings, ChangeEmailUseCase emailChange,
                           SignInWithSecondFactorUseCase secondFactor, ManageTwoFactorUseCase twoFactor,
                           ManagePasskeysUseCase passkeys, SignInWithPasskeyUseCase passkeySignIn,
                           AdministerSecretKeysUseCase secretKeyAdmin, ReadApiKeyUsageUseCase apiKeyUsage,
                           ManageWebhooksUseCase webhooks) {
    }

    private final Pages pages;
    private final UseCases useCases;

    /** {@code clock}: "now" of the relative times pages show ("3 minutes ago"). */
    public DashboardRoutes(UseCases useCases, Authenticator auth, SessionCookie cookie, URI publicOrigin, Clock clock) {
        this(useCases, auth, cookie, publicOrigin, Pages.precompiledTemplates(),
                new CsrfTokens(useCases.secrets()), clock);
    }

    DashboardRoutes(UseCases useCases, Authenticator auth, SessionCookie cookie, URI publicOrigin,
                    TemplateEngine templates, CsrfTokens tokens, Clock clock) {
        this.useCases = useCases;
        this.pages = new Pages(templates, tokens, auth, cookie, useCases.currentUser(), useCases.secretKeyAdmin(),
                publicOrigin, clock);
    }

    public void register(Router router) {
        router.get("/static/{name}", pages::staticFile);
        var secondFactor = new SecondFactorPages(pages, useCases.secondFactor(), useCases.passkeySignIn());
        secondFactor.register(router);
        new AccountPages(pages, secondFactor, useCases.sessions(), useCases.organizations(), useCases.invitations())
                .register(router);
        new PasswordResetPages(pages, useCases.passwordReset()).register(router);
        new EmailVerificationPages(pages, useCases.emailVerification()).register(router);
        new EmailSignInPages(pages, useCases.emailSignIn(), secondFactor).register(router);
        new AccountSettingsPages(pages, useCases.accountSettings(), useCases.emailChange()).register(router);
        new TwoFactorPages(pages, useCases.twoFactor(), useCases.passkeys()).register(router);
        new PasskeySignInPages(pages, useCases.passkeySignIn()).register(router);
        new SettingsPages(pages, useCases.organizations(), useCases.members(), useCases.roles(),
                useCases.invitations(), useCases.audit()).register(router);
        new ApiKeyPages(pages, useCases.apiKeys(), useCases.apiKeyUsage(), useCases.members()).register(router);
        new WebhookPages(pages, useCases.webhooks()).register(router);
        new AgentPages(pages, useCases.agents()).register(router);
        new SecretKeyPages(pages, useCases.secretKeyAdmin()).register(router);
        router.notFound(pages::notFound);
    }
}
