package com.orgkeys.http.dashboard;

import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.InvitationPreview;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The models of the dashboard's jte templates: one record per page, plus the pieces they share. */

public final class PageModels {
    private PageModels() {
    }

    // ---- shared pieces ------------------------------------------------------------------------------------

    /**
     * A time as when.jte shows it: {@code relative} ("3 minutes ago") in a {@code <time datetime=iso>} whose title is
     * {@code exact} (UTC); without an instant ({@code iso} null), only {@code relative} ("never").
     */
    public record When(String iso, String exact, String relative) {
        static When none(String text) {
            return new When(null, null, text);
        }
    }

    public record OrgEntry(String id, String name, String role, boolean active) {
    }

    /**
     * What the layout needs on every page: who is signed in (and whether their email is verified: until it is, every
     * page shows a banner saying how), their organizations, the form token, banners.
     */
    /** {@code instanceAdmin}: the user is one of ADMIN_EMAILS (the menu shows the way to the secret keys). */
    public record Chrome(String csrf, String userName, String userEmail, boolean emailVerified,
                         List<OrgEntry> organizations, OrgEntry active, Set<String> permissions, String notice,
                         String error, boolean instanceAdmin) {
        public static Chrome anonymous(String csrf) {
            return new Chrome(csrf, null, null, true, List.of(), null, Set.of(), null, null, false);
        }

        public boolean signedIn() {
            return userEmail != null;
        }

        public boolean can(String permission) {
            return active != null && permissions.contains(permission);
        }

        public Chrome withError(String message) {
            return new Chrome(csrf, userName, userEmail, emailVerified, organizations, active, permissions, null, message,
                    instanceAdmin);
        }

        public Chrome withNotice(String message) {
            return new Chrome(csrf, userName, userEmail, emailVerified, organizations, active, permissions, message, error,
                    instanceAdmin);
        }
    }

    /** Submitted values (never passwords) and the field errors to show next to them. */
    public record Form(Map<String, List<String>> values, Map<String, String> errors) {
        public static Form empty() {
            return new Form(Map.of(), Map.of());
        }

        public static Form of(Map<String, List<String>> submitted) {
            Map<String, List<String>> kept = new LinkedHashMap<>(submitted);
            kept.remove(Pages.CSRF_FIELD);
            kept.remove("password");
            return new Form(kept, Map.of());
        }

        public Form withAll(String name, List<String> values) {
            Map<String, List<String>> copy = new LinkedHashMap<>(this.values);
            copy.put(name, List.copyOf(values));
            return new Form(copy, errors);
        }

        public Form with(String name, String value) {
            Map<String, List<String>> copy = new LinkedHashMap<>(values);
            copy.put(name, List.of(value));
            return new Form(copy, errors);
        }

        public Form withErrors(List<FieldError> fieldErrors) {
            Map<String, String> merged = new LinkedHashMap<>(errors);
            for (FieldError e : fieldErrors) merged.merge(e.field(), e.message(), (a, b) -> a + "; " + b);
            return new Form(values, merged);
        }

        public Form withErrors(InvalidInputException e) {
            return withErrors(e.errors());
        }

        public String value(String name) {
            List<String> v = values.get(name);
            return v == null || v.isEmpty() ? "" : v.getFirst();
        }

        public boolean checked(String name, String value) {
            return values.getOrDefault(name, List.of()).contains(value);
        }

        public String error(String name) {
            return errors.get(name);
        }

        /** {@code aria-invalid}: "true" when the field has an error, else null (then jte leaves the attribute out). */
        public String invalid(String name) {
            return errors.containsKey(name) ? "true" : null;
        }

        /**
         * {@code aria-describedby}: the id err.jte gives the field's error ({@code inputId + "-error"}) when it has
         * one, else null.
         */
        public String errorId(String name, String inputId) {
            return errors.containsKey(name) ? inputId + "-error" : null;
        }

        /** Errors for fields this page has no input for, shown together above the form. */
        public List<String> otherErrors(String... shown) {
            Set<String> known = Set.of(shown);
            return errors.entrySet().stream().filter(e -> !known.contains(e.getKey()))
                    .map(e -> e.getKey() + ": " + e.getValue()).toList();
        }
    }

    /** The settings tabs the caller may see, and which one is open. */
    public record Tabs(String open, boolean members, boolean roles, boolean apiKeys, boolean audit, boolean webhooks) {
    }

    /** A list's count line ({@code summary}), its count ("10,000+") and its links to the pages before and after. */
    public record Pager(String summary, String total, String previousUrl, String nextUrl, String previousLabel,
                        String nextLabel) {
    }

    // ---- pages --------------------------------------------------------------------------------------------

    public record ErrorPage(Chrome chrome, int status, String title, String message, String requestId) {
    }

    public record SignInPage(Chrome chrome, Form form, String next) {
    }

    public record SignUpPage(Chrome chrome, Form form, String next) {
    }

    /** Sign-in by mail: the form asking for the email. */
    public record SignInEmailPage(Chrome chrome, Form form) {
    }

    /** Sign-in by mail: the form for the mailed code, with the email carried along. */
    public record SignInCodePage(Chrome chrome, Form form) {
    }

    /** The second step of a sign-in for an account with two-factor sign-in: {@code signInToken} from the first. */
    /**
     * {@code authenticatorApp}: whether to ask for a code; {@code passkey}: the ceremony to answer with a passkey,
     * or null when the account has none.
     */
    public record SecondFactorPage(Chrome chrome, String signInToken, String next, Form form, boolean authenticatorApp,
                                   PasskeyCeremony passkey) {
        @Override
        public String toString() {
            return "SecondFactorPage[***]";
        }
    }

    /** The page a sign-in link opens: {@code email} to confirm, or null when the link cannot be used. */
    /** {@code signedInAs}: who this browser is signed in as (the link then asks to sign out first), or null. */
    public record SignInLinkPage(Chrome chrome, String token, String email, String signedInAs) {
    }

    /** {@code sent}: the "check your mail" page after the form. */
    public record ForgotPasswordPage(Chrome chrome, Form form, boolean sent) {
    }

    /** {@code linkWorks}: false once the link is known to be used or expired (then no form, only "ask again"). */
    public record ResetPasswordPage(Chrome chrome, String token, Form form, boolean linkWorks) {
    }

    /**
     * With the mailed link's {@code token}: one click confirms. Without: the 6-digit code, and a new mail. {@code next}:
     * where to go once confirmed (a path on this site, or empty).
     */
    public record VerifyEmailPage(Chrome chrome, String token, String next, String codeError) {
    }

    /** The signed-in user's own account: one form each for the name, the password and the email. */
    public record AccountPage(Chrome chrome, Form nameForm, Form passwordForm, Form emailForm) {
    }

    /**
     * /account/two-factor: the status; while enrolling, the QR code (inline SVG) and the secret; after confirming
     * or renewing, the recovery codes (shown once). {@code requiredBy}: the name of the active organization when it
     * requires two-factor sign-in and held this user back on this request (null otherwise).
     */
    /** A passkey ceremony for the page's passkeys.js: its id and the WebAuthn options (JSON) for the browser. */
    public record PasskeyCeremony(String ceremonyId, String options) {
    }

    public record PasskeyRow(String id, String name, When createdAt, When lastUsedAt) {
    }

    /**
     * The passkeys part of the two-factor page: the list, a registration under way ({@code creation} with the name
     * in {@code form}) or null, and the form's errors ({@code name}, {@code credential}, and per passkey
     * {@code rename-<id>}, {@code remove-<id>}).
     */
    public record PasskeySection(List<PasskeyRow> passkeys, PasskeyCeremony creation, Form form) {
    }

    /** The passwordless sign-in page: the ceremony to answer with a passkey. */
    public record PasskeySignInPage(Chrome chrome, PasskeyCeremony passkey, String next) {
    }

    public record TwoFactorPage(Chrome chrome, boolean enabled, boolean pending, int recoveryCodesLeft,
                                String secret, String qrSvg, List<String> recoveryCodes, Form codeForm,
                                Form passwordForm, String requiredBy, PasskeySection passkeys) {
        public boolean enrolling() {
            return secret != null;
        }
    }

    public record ConfirmEmailChangePage(Chrome chrome, String token) {
    }

    public record CreateOrganizationPage(Chrome chrome, Form form) {
    }

    /** {@code browser}: "Chrome on Linux", read from the session's stored User-Agent. */
    public record SessionRow(String id, String browser, String clientAddress, When createdAt, When lastActiveAt,
                             boolean current) {
    }

    public record SessionsPage(Chrome chrome, List<SessionRow> sessions) {
    }

    /** The form, or (for a user whose email is not verified) why it would be refused and a way to verify. */
    public record AcceptInvitationPage(Chrome chrome, String token, InvitationPreview invitation) {
        /** This page's own address: where signing in, signing up or verifying comes back to. */
        private String here() {
            return "/invitations/accept?token=" + Pages.encode(token);
        }

        /** The verify page, coming back here once done. */
        public String verifyUrl() {
            return "/verify-email?next=" + Pages.encode(here());
        }

        public String signInUrl() {
            return "/sign-in?email=" + Pages.encode(invitation.email().value()) + "&next=" + Pages.encode(here());
        }

        public String signUpUrl() {
            return "/sign-up?email=" + Pages.encode(invitation.email().value()) + "&next=" + Pages.encode(here());
        }

        public When validUntil() {
            return RelativeTime.when(invitation.expiresAt(), java.time.Instant.now());
        }

        /** Signed in as the invited address (addresses compare as {@link Email} does: case-insensitively). */
        public boolean forYou() {
            return chrome.signedIn() && invitation.email().equals(new Email(chrome.userEmail()));
        }

        /** Why an invitation that can no longer be answered cannot, in a sentence. */
        public String closedReason() {
            return switch (invitation.state()) {
                case ACCEPTED -> "This invitation was already accepted. If that was you, the organization is in your list.";
                case REVOKED -> "This invitation was withdrawn or declined. Ask whoever invited you for a new one.";
                case EXPIRED -> "This invitation has expired. Ask whoever invited you for a new one.";
                case PENDING -> "";
            };
        }
    }

    /**
     * {@code membersWithoutSecondFactor}: how many members an organization that requires two-factor sign-in holds
     * back (-1 when the viewer may not change the requirement, who is not told).
     */
    public record GeneralPage(Chrome chrome, Tabs tabs, String name, String slug, Form form, Form deleteForm,
                              boolean twoFactorRequired, long membersWithoutSecondFactor) {
        /** What the requirement means for the members now, or would mean once turned on. */
        public String secondFactorSummary() {
            long n = membersWithoutSecondFactor;
            if (n <= 0) return "Every member has two-factor sign-in on.";
            String who = n == 1 ? "1 member has" : String.format(Locale.ROOT, "%,d members have", n);
            return who + " no second factor yet: " + (twoFactorRequired ? "the next time they open this organization, "
                    + "they are asked to set one up first." : "if you require it, the next time they open this "
                    + "organization they are asked to set one up first.");
        }
    }

    /** {@code changeable}: the viewer may take this member's role away (and so give another). */
    /** {@code role}: the key (the form's value); {@code roleName}: what people read. */
    public record MemberRow(String userId, String name, String email, String role, String roleName, When joinedAt,
                            boolean you, boolean changeable, boolean twoFactorEnabled) {
    }

    public record InvitationRow(String id, String email, String role, When createdAt, When expiresAt) {
    }

    /** A choice of a select: the value sent ({@code key}) and the text shown ({@code name}). */
    public record RoleOption(String key, String name) {
    }

    public record MembersPage(Chrome chrome, Tabs tabs, List<MemberRow> members, Pager pager,
                              List<InvitationRow> invitations, List<RoleOption> roles, boolean canManage,
                              Form inviteForm, String createdLink, String createdEmail) {
    }

    /** Asks a member to confirm leaving the organization. */
    public record LeaveConfirmPage(Chrome chrome, Tabs tabs, String userId, String organizationName) {
    }

    /** Asks a member to confirm changing their own role: {@code currentRoleName} to {@code newRoleName}. */
    public record RoleConfirmPage(Chrome chrome, Tabs tabs, String userId, String currentRoleName, String newRole,
                                  String newRoleName) {
    }

    public record RoleRow(String key, String name, List<String> permissions, boolean builtIn) {
    }

    public record RolesPage(Chrome chrome, Tabs tabs, List<RoleRow> roles, List<String> allPermissions,
                            boolean canManage, Form form) {
    }

    public record RoleEditPage(Chrome chrome, Tabs tabs, RoleRow role, List<String> allPermissions, Form form) {
    }

    /**
     * {@code actsAs}: the name of the user a user-owned key acts as; empty for an organization's key.
     * {@code manageable}: the viewer may change it; {@code liftable}: may enable it once disabled (managers only).
     */
    public record KeyRow(String id, String name, String description, String hint, List<String> scopes,
                         String createdBy, When createdAt, When expiresAt, When lastUsedAt, String status,
                         String revocationReason, String actsAs, boolean manageable, boolean liftable) {
        public boolean active() {
            return status.equals("active");
        }

        public boolean disabled() {
            return status.equals("disabled");
        }

        /** Revoked or expired: never works again, so it may be deleted (and no longer edited). */
        public boolean finished() {
            return status.equals("revoked") || status.equals("expired");
        }
    }

    /**
     * {@code defaultRateLimit}: the organization's default rate limit in words ("none" when unset); {@code hasDefault}:
     * one is set (the page then offers to remove it); {@code defaultForm}: its form's values and errors.
     */
    public record ApiKeysPage(Chrome chrome, Tabs tabs, List<KeyRow> keys, String query, String status,
                              Pager pager, boolean canManage, String defaultRateLimit, boolean hasDefault,
                              Form defaultForm) {
    }

    /** {@code forOrganization}: the creator may make organization keys (else a personal key only). */
    public record ApiKeyNewPage(Chrome chrome, Tabs tabs, List<String> scopes, Form form, String nonce,
                                boolean forOrganization) {
    }

    public record ApiKeyCreatedPage(Chrome chrome, Tabs tabs, KeyRow key, String secret) {
    }

    public record ApiKeyRevokePage(Chrome chrome, Tabs tabs, KeyRow key, Form form) {
    }

    /** {@code seen}: the key's updatedAt, sent back so that the form rotates the key at most once. */
    public record ApiKeyRotatePage(Chrome chrome, Tabs tabs, KeyRow key, String seen, Form form) {
    }

    /** {@code previousSecretExpiresAt}: the end of the grace period (now, if none was given). */
    public record ApiKeyRotatedPage(Chrome chrome, Tabs tabs, KeyRow key, String secret, When previousSecretExpiresAt) {
    }

    /** One backend secret key on the instance administrators' page. */
    public record SecretKeyRow(String id, String name, String hint, String createdBy, When createdAt, boolean revoked,
                               When revokedAt) {
    }

    /** The secret keys and the form to create one (its name kept on a refusal, never the password). */
    public record SecretKeysPage(Chrome chrome, List<SecretKeyRow> keys, Form form) {
    }

    public record SecretKeyCreatedPage(Chrome chrome, SecretKeyRow key, String secret) {
    }

    public record SecretKeyRevokePage(Chrome chrome, SecretKeyRow key) {
    }

    public record ApiKeyEditPage(Chrome chrome, Tabs tabs, KeyRow key, List<String> scopes, Form form) {
    }

    public record ApiKeyDeletePage(Chrome chrome, Tabs tabs, KeyRow key) {
    }

    /**
     * A key's own page: its settings, subject, status history and usage. {@code lastUsedAddress} empty when unknown.
     */
    public record ApiKeyDetailPage(Chrome chrome, Tabs tabs, KeyRow key, String subject, String lastUsedAddress,
                                   List<KeyEventRow> history, UsageChart usage, boolean canManage,
                                   KeyRotation rotation, KeyTraffic traffic) {
    }

    /**
     * The key's last rotation, or null if never rotated: {@code previousWorks} while the secret before it still works
     * (until {@code previousUntil}); otherwise it stopped then.
     */
    public record KeyRotation(When rotatedAt, When previousUntil, boolean previousWorks) {
    }

    /**
     * A key's traffic controls: its allowlist (empty: any address), which rate limit applies in words, whether it has
     * one of its own ({@code ownRateLimit}: the page then offers to remove it), whether the viewer may change them
     * ({@code editable}: manages keys, and the key is active or disabled), and the two forms with their errors
     * ({@code allowlistErrors}: one line each, "Line 3: …").
     */
    public record KeyTraffic(List<String> allowlist, String rateLimit, boolean ownRateLimit, boolean editable,
                             Form allowlistForm, List<String> allowlistErrors, Form rateLimitForm) {
        public int maxRanges() {
            return com.orgkeys.domain.apikey.IpAllowlist.MAX_RANGES;
        }
    }

    /** One event of a key's history: {@code what} as people say it ("Disabled"), by whom, with its details. */
    public record KeyEventRow(When at, String what, String by, String details) {
    }

    /**
     * The usage chart, drawn on the server as SVG (a {@value #WIDTH}×{@value #HEIGHT} view box, scaled to the page):
     * one bar per day, successes below and refusals stacked on them; {@code days} is the same as a table.
     */
    public record UsageChart(String title, String description, List<UsageBar> bars, List<UsageDayRow> days,
                             long max, UsageDayRow totals) {
        public static final int WIDTH = 600, HEIGHT = 160;

        public int width() {
            return WIDTH;
        }

        public int height() {
            return HEIGHT;
        }
    }

    /** A bar's geometry in the view box; heights are 0 for a day without requests of that kind. */
    public record UsageBar(int x, int width, int successY, int successHeight, int refusedY, int refusedHeight,
                           String label) {
    }

    public record UsageDayRow(String date, long success, long scopeRefused, long rateLimited, long ipRefused) {
        public long refused() {
            return scopeRefused + rateLimited + ipRefused;
        }
    }

    /** {@code actorUrl}: the log filtered to this actor; {@code targetUrl}: the target's page, or null for none. */
    public record AuditRow(When occurredAt, String actor, String actorUrl, String action, String target,
                           String targetUrl, String details) {
    }

    /**
     * {@code form}: the filter's values ("action", "actor") and errors; {@code actors}: who can be chosen (value =
     * "user:&lt;id&gt;"); {@code filtered}: a filter is on (the page then offers to clear it).
     */
    public record AuditPage(Chrome chrome, Tabs tabs, List<AuditRow> events, Pager pager, Form form,
                            List<String> actions, List<RoleOption> actors, boolean filtered) {
    }

    public record AgentRow(String id, String name, String description, String model, When createdAt) {
    }

    public record AgentsPage(Chrome chrome, List<AgentRow> agents, String query, Pager pager, boolean canManage, Form form,
                             String curl) {
    }

    /**
     * A webhook endpoint as the Webhooks tab shows it. {@code failingSince}: "" relative when it is not failing;
     * {@code lastStatus}: "succeeded", "failed" or "none"; {@code lastOutcome}: "HTTP 200", what went wrong, or "No
     * attempts yet"; {@code lastAttemptAt} null without attempts (or where the page does not show it).
     */
    public record EndpointRow(String id, String url, String description, List<String> eventTypes, boolean enabled,
                              When createdAt, When failingSince, String lastStatus, String lastOutcome,
                              When lastAttemptAt) {
        public String label() {
            return description.isEmpty() ? url : description;
        }
    }

    public record WebhooksPage(Chrome chrome, Tabs tabs, List<EndpointRow> endpoints, int maxEndpoints) {
    }

    /** The add form ({@code endpoint} null) or an endpoint's edit form; {@code eventTypes}: the checkboxes. */
    public record WebhookFormPage(Chrome chrome, Tabs tabs, EndpointRow endpoint, List<String> eventTypes, Form form) {
    }

    /**
     * One attempt: {@code responseStatus} "—" when the receiver was not reached; {@code responseBody} the start of its
     * answer; {@code error} what went wrong, or empty.
     */
    public record WebhookAttemptRow(String messageId, String eventType, int attempt, When at, boolean succeeded,
                                    String responseStatus, long latencyMs, String responseBody, String error) {
    }

    /** {@code previousSecretUntil}: while a rotated-out secret still signs, until when; else null. */
    public record WebhookDetailPage(Chrome chrome, Tabs tabs, EndpointRow endpoint, List<WebhookAttemptRow> attempts,
                                    Pager pager, When previousSecretUntil) {
    }

    public record WebhookDeletePage(Chrome chrome, Tabs tabs, EndpointRow endpoint) {
    }

    public record WebhookRotatePage(Chrome chrome, Tabs tabs, EndpointRow endpoint) {
    }

    /** The secrets, on the answer to the reveal only; {@code previousSecret} null unless a rotation's overlap runs. */
    public record WebhookSecretPage(Chrome chrome, Tabs tabs, EndpointRow endpoint, String secret,
                                    String previousSecret, When previousSecretUntil) {
        @Override
        public String toString() {
            return "WebhookSecretPage[***]";
        }
    }
}
