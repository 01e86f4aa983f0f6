package com.orgkeys.http.dashboard;

import com.orgkeys.application.secretkey.port.in.AdministerSecretKeysUseCase;
import com.orgkeys.application.account.port.in.GetCurrentUserUseCase;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.shared.DomainException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.shared.TwoFactorRequiredException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.dashboard.PageModels.Chrome;
import com.orgkeys.http.dashboard.PageModels.ErrorPage;
import com.orgkeys.http.dashboard.PageModels.OrgEntry;
import com.orgkeys.http.dashboard.PageModels.Pager;
import com.orgkeys.http.dashboard.PageModels.Tabs;
import com.orgkeys.http.dashboard.PageModels.When;
import com.orgkeys.http.server.Handler;
import com.orgkeys.http.server.Cookies;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.HttpProblem;
import com.orgkeys.http.server.Problems;
import com.orgkeys.http.server.SecurityHeaders;
import com.orgkeys.http.server.SetCookie;
import com.orgkeys.http.shared.Requests;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every dashboard page shares: the one template engine, the security headers only pages need, the form
 * token, the header ("chrome") of signed-in pages, and turning failures into pages instead of problem+json.
 */
public final class Pages {
    private static final Logger log = LoggerFactory.getLogger("http");
    public static final String CSRF_FIELD = "_csrf";
    private static final int FLASH_SECONDS = 120;
    private static final String ATTRIBUTE_PRE_SESSION = "orgkeys.dashboard.preSession";
    /** Where a member held back by an organization that requires two-factor sign-in is sent to set it up. */
    static final String TWO_FACTOR_SETUP = "/account/two-factor";

    /** Fixed success messages, chosen by {@code ?notice=} after a redirect (so no text comes from the URL). */
    private static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("saved", "Saved."),
            Map.entry("two-factor-disabled", "Two-factor sign-in is off."),
            Map.entry("authenticator-removed", "Authenticator app removed: two-factor sign-in stays on with your passkeys."),
            Map.entry("two-factor-required", "Two-factor sign-in is now required of every member."),
            Map.entry("two-factor-optional", "Two-factor sign-in is no longer required."),
            Map.entry("passkey-added", "Passkey added."),
            Map.entry("passkey-renamed", "Passkey renamed."),
            Map.entry("passkey-removed", "Passkey removed."),
            Map.entry("last-passkey-removed", "Passkey removed: two-factor sign-in is off, and your recovery codes no longer work."),
            Map.entry("switched", "Switched organization."),
            Map.entry("created", "Organization created."),
            Map.entry("joined", "You joined the organization."),
            Map.entry("role-changed", "Role changed."),
            Map.entry("invited", "Invitation created."),
            Map.entry("member-removed", "Member removed."),
            Map.entry("invitation-revoked", "Invitation revoked."),
            Map.entry("role-created", "Role created."),
            Map.entry("role-saved", "Role saved."),
            Map.entry("role-deleted", "Role deleted."),
            Map.entry("key-revoked", "API key revoked."),
            Map.entry("secret-key-revoked", "Secret key revoked: the backend API refuses it on every node."),
            Map.entry("key-saved", "API key saved: requests with it see the change from now on."),
            Map.entry("key-disabled", "API key disabled: requests with it are refused until you enable it."),
            Map.entry("key-enabled", "API key enabled: requests with it work again."),
            Map.entry("key-deleted", "API key deleted. Its audit events stay in the log."),
            Map.entry("allowlist-saved", "IP allowlist saved: every server applies it from the next request on."),
            Map.entry("rate-limit-saved", "Rate limit saved: every server applies it from the next request on."),
            Map.entry("rate-limit-removed", "The key's own rate limit is removed: the organization's default applies, if there is one."),
            Map.entry("default-rate-limit-saved", "Default rate limit saved: it applies to every key without a limit of its own."),
            Map.entry("default-rate-limit-removed", "Default rate limit removed: keys without a limit of their own have none."),
            Map.entry("webhook-created", "Webhook endpoint added: it receives the events you chose from now on."),
            Map.entry("webhook-saved", "Webhook endpoint saved."),
            Map.entry("webhook-disabled", "Webhook endpoint disabled: it receives nothing until you enable it."),
            Map.entry("webhook-enabled", "Webhook endpoint enabled: it receives events again."),
            Map.entry("webhook-deleted", "Webhook endpoint deleted. Its changes stay in the audit log."),
            Map.entry("webhook-test-sent", "Test event queued: it is listed under Recent attempts once sent."),
            Map.entry("webhook-replayed", "Message queued again, with the same webhook-id."),
            Map.entry("webhook-secret-rotated", "Secret rotated: the previous secret signs every delivery beside the new one for 24 hours."),
            Map.entry("agent-created", "Agent created."),
            Map.entry("agent-deleted", "Agent deleted."),
            Map.entry("session-revoked", "Session signed out."),
            Map.entry("org-deleted", "Organization deleted."),
            Map.entry("left", "You left the organization."),
            Map.entry("invitation-declined", "You declined the invitation."),
            Map.entry("signed-out", "You are signed out."),
            Map.entry("email-verified", "Your email is confirmed."),
            Map.entry("name-changed", "Your name is changed."),
            Map.entry("password-changed", "Your password is changed, and every other session signed out."),
            Map.entry("email-change-sent", "Check the new address for a link to confirm the change. Until then your email stays as it is."),
            Map.entry("email-changed", "Your email is changed."),
            Map.entry("verification-sent", "A new mail with a link and a code is on its way."),
            Map.entry("password-reset", "Your password is changed and every session signed out. Sign in with the new one."));

    /** Notices whose words come from a {@link #flash} to the page (with their {@link #NOTICES} text as fallback). */
    private static final Set<String> FLASHED_NOTICES = Set.of("org-deleted");

    /** Whether {@code key} names one of the fixed notices (so it may be passed on in a redirect). */
    static boolean isNotice(String key) {
        return NOTICES.containsKey(key);
    }

    /** Thrown by page code to answer with a 303 redirect. */
    static final class Redirect extends RuntimeException {
        final String location;

        Redirect(String location) {
            super(location, null, false, false);
            this.location = location;
        }
    }

    /** A signed-in user and the page header built for them. */
    record Signed(UserCaller caller, Chrome chrome) {
    }

    @FunctionalInterface
    interface PageHandler {
        void handle(HttpCall call) throws Exception;
    }

    private final TemplateEngine templates;
    private final CsrfTokens tokens;
    private final Authenticator auth;
    private final SessionCookie cookie;
    private final GetCurrentUserUseCase currentUser;
    private final AdministerSecretKeysUseCase secretKeyAdmin;
    private final URI publicOrigin;
    private final Cookies cookies;
    private final Map<String, byte[]> staticFiles;
    private final RelativeTime times;

    public Pages(TemplateEngine templates, CsrfTokens tokens, Authenticator auth, SessionCookie cookie,
                 GetCurrentUserUseCase currentUser, AdministerSecretKeysUseCase secretKeyAdmin, URI publicOrigin,
                 Clock clock) {
        this.templates = templates;
        this.tokens = tokens;
        this.auth = auth;
        this.cookie = cookie;
        this.currentUser = currentUser;
        this.secretKeyAdmin = secretKeyAdmin;
        this.publicOrigin = publicOrigin;
        this.cookies = Cookies.forOrigin(publicOrigin);
        this.staticFiles = Map.of("app.css", resource("app.css"), "app.js", resource("app.js"),
                "passkeys.js", resource("passkeys.js"));
        this.times = new RelativeTime(clock);
    }

    /** The precompiled templates (generated by jte-maven-plugin into this module). */
    public static TemplateEngine precompiledTemplates() {
        return TemplateEngine.createPrecompiled(ContentType.Html);
    }

    URI publicOrigin() {
        return publicOrigin;
    }

    Authenticator auth() {
        return auth;
    }

    SessionCookie cookie() {
        return cookie;
    }

    // ---- handlers -----------------------------------------------------------------------------------------

    /** A GET page: failures become error pages, a missing session a trip to the sign-in page. */
    Handler get(PageHandler page) {
        return call -> run(call, page);
    }

    /** A form post: the synchronizer token is checked first, then as {@link #get}. */
    Handler post(PageHandler page) {
        return call -> run(call, c -> {
            requireToken(c);
            page.handle(c);
        });
    }

    private void run(HttpCall call, PageHandler page) {
        try {
            page.handle(call);
        } catch (Redirect r) {
            call.redirect(r.location);
        } catch (TwoFactorRequiredException e) {
            call.redirect(TWO_FACTOR_SETUP); // a page that reached a use case without inOrganization: guided all the same
        } catch (UnauthenticatedException e) {
            String query = rawQuery(call);
            String here = call.path() + (query.isEmpty() ? "" : "?" + query);
            call.redirect("/sign-in" + (call.method().equals("GET") ? "?next=" + encode(here) : ""));
        } catch (DomainException | HttpProblem e) {
            error(call, Problems.status(e), message(e));
        } catch (Exception e) {
            log.error("{} {} failed rid={}", call.method(), call.path(), call.requestId(), e);
            error(call, 500, "Something went wrong on our side. Quote request id " + call.requestId()
                    + " when reporting it.");
        }
    }

    private static String rawQuery(HttpCall call) {
        return call.queryParams().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .reduce((a, b) -> a + "&" + b).orElse("");
    }

    /** An error page for the current request, with the header when the caller is signed in. */
    void error(HttpCall call, int status, String message) {
        if (call.responded()) return;
        Chrome chrome;
        try {
            chrome = optionalChrome(call);
        } catch (RuntimeException e) {
            chrome = Chrome.anonymous(""); // the anonymous error page has no form, and who is asking is unknown
        }
        render(call, status, "error.jte",
                new ErrorPage(chrome, status, Problems.pageTitle(status), message, call.requestId()));
    }

    /** The router's fallback: browsers asking for an unknown page get an HTML 404; API clients, problem+json. */
    void notFound(HttpCall call) {
        boolean page = (call.method().equals("GET") || call.method().equals("HEAD"))
                && !call.path().startsWith("/api/")
                && call.header("Accept").map(a -> a.contains("text/html")).orElse(false);
        if (page) error(call, 404, "There is no page at this address.");
    }

    void staticFile(HttpCall call) {
        String name = call.pathParam("name");
        byte[] body = staticFiles.get(name);
        if (body == null) {
            error(call, 404, "There is no such file.");
            return;
        }
        call.setHeader("Cache-Control", "public, max-age=300");
        call.send(200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body);
    }

    // ---- rendering ----------------------------------------------------------------------------------------

    void render(HttpCall call, int status, String template, Object model) {
        // Straight to UTF-8 in chunks, the static parts encoded at build time (binaryStaticContent): a page costs one
        // copy of its bytes, not a growing StringBuilder, its String and their encoding (~half of its allocations).
        Utf8ByteOutput out = new Utf8ByteOutput();
        templates.render(template, model, out);
        // The router has already set the headers every answer carries (nosniff, referrer policy, no-store).
        SecurityHeaders.page(call, SecurityHeaders.PAGE_CSP);
        call.html(status, out.toByteArray());
    }

    // ---- who is asking ------------------------------------------------------------------------------------

    /** The signed-in user (else off to sign-in) and the header for them; {@code ?notice=} becomes a banner. */
    Signed signedIn(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        return new Signed(caller, chrome(call, caller));
    }

    /**
     * As {@link #signedIn}, and the session has an active organization (else off to create one) that does not hold
     * the user back for a missing second factor (else off to set one up).
     */
    Signed inOrganization(HttpCall call) {
        Signed signed = signedIn(call);
        if (signed.caller().organizationId().isEmpty()) throw new Redirect("/organizations/new");
        // the organization requires a second factor this user lacks: a guided setup rather than an error page
        if (signed.caller().secondFactorMissing()) throw new Redirect(TWO_FACTOR_SETUP);
        return signed;
    }

    Optional<UserCaller> optionalUser(HttpCall call) {
        if (Authenticator.usesBearer(call)) return Optional.empty();
        return auth.caller(call).filter(c -> c instanceof UserCaller).map(c -> (UserCaller) c);
    }

    Chrome optionalChrome(HttpCall call) {
        Optional<UserCaller> user = optionalUser(call);
        return user.isPresent() ? chrome(call, user.get()) : Chrome.anonymous(csrfToken(call));
    }

    Chrome anonymousChrome(HttpCall call) {
        return withNotice(call, Chrome.anonymous(csrfToken(call)));
    }

    private Chrome chrome(HttpCall call, UserCaller caller) {
        var me = currentUser.currentUser(caller);
        String active = me.activeOrganizationId().map(Object::toString).orElse(null);
        List<OrgEntry> organizations = me.organizations().stream()
                .map(o -> new OrgEntry(o.organization().id().toString(), o.organization().name(), o.role().value(),
                        o.organization().id().toString().equals(active)))
                .toList();
        OrgEntry activeEntry = organizations.stream().filter(OrgEntry::active).findFirst().orElse(null);
        Set<String> permissions = new HashSet<>();
        caller.permissions().forEach(p -> permissions.add(p.value()));
        return withNotice(call, new Chrome(csrfToken(call), me.user().name(), me.user().email().value(),
                me.user().emailVerified(), organizations, activeEntry, Set.copyOf(permissions), null, null,
                secretKeyAdmin.isInstanceAdmin(me.user())));
    }

    private Chrome withNotice(HttpCall call, Chrome chrome) {
        Optional<String> key = call.queryParam("notice");
        // a notice naming something (the deleted organization) says it from this session's flash, else generically
        Optional<String> named = key.filter(FLASHED_NOTICES::contains).flatMap(k -> takeFlash(call, call.path()));
        return named.or(() -> key.map(NOTICES::get)).map(chrome::withNotice).orElse(chrome);
    }

    Tabs tabs(UserCaller caller, String open) {
        return new Tabs(open, caller.has(Permission.MEMBERSHIPS_READ), caller.has(Permission.MEMBERSHIPS_MANAGE),
                caller.organizationId().isPresent(), // every member has the page: their own keys at least
                caller.has(Permission.MEMBERSHIPS_MANAGE), caller.has(Permission.WEBHOOKS_MANAGE));
    }

    // ---- forms --------------------------------------------------------------------------------------------

    /** The token for this browser's forms; sets a pre-session cookie first when there is no cookie to bind to. */
    String csrfToken(HttpCall call) {
        return tokens.tokenFor(tokenBasis(call).orElseGet(() -> {
            String value = call.<String>attribute(ATTRIBUTE_PRE_SESSION).orElseGet(() -> {
                String fresh = tokens.newPreSessionValue();
                call.setAttribute(ATTRIBUTE_PRE_SESSION, fresh);
                call.addHeader("Set-Cookie", SetCookie.of(cookies.form(), fresh, cookies.secure()).forTheBrowserSession());
                return fresh;
            });
            return "pre:" + value;
        }));
    }

    /**
     * What this browser's token is bound to: its session cookie while that is a live session, else its
     * pre-session cookie while that carries this server's signature. Never a value the client merely chose.
     */
    private Optional<String> tokenBasis(HttpCall call) {
        Optional<String> session = cookie.read(call);
        if (session.isPresent() && optionalUser(call).isPresent()) return Optional.of("session:" + session.get());
        return call.cookie(cookies.form()).filter(tokens::issued).map(v -> "pre:" + v);
    }

    /**
     * Hands {@code message} to the next page under {@code path} that this session opens, once (e.g. what to
     * show after a redirect). It travels in a cookie, sealed for this session: another session, or a planted
     * cookie, shows nothing. Needs a signed-in session.
     */
    void flash(HttpCall call, String path, String message) {
        String session = cookie.read(call).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        call.addHeader("Set-Cookie", SetCookie.of(cookies.flash(), tokens.seal("flash:" + session, message), cookies.secure())
                .withPath(path).withSameSite("Strict").lasting(Duration.ofSeconds(FLASH_SECONDS), Instant.now()));
    }

    /** The message {@link #flash}ed to this page for this session, if any; the cookie is cleared either way. */
    Optional<String> takeFlash(HttpCall call, String path) {
        Optional<String> sealed = call.cookie(cookies.flash()).filter(v -> !v.isEmpty());
        if (sealed.isEmpty()) return Optional.empty();
        call.addHeader("Set-Cookie", SetCookie.of(cookies.flash(), "", cookies.secure()).withPath(path).withSameSite("Strict").clearing());
        return cookie.read(call).flatMap(session -> tokens.unseal("flash:" + session, sealed.get()));
    }

    /** Refuses a form post whose token does not belong to this browser's cookie. */
    void requireToken(HttpCall call) {
        String token = call.formParam(CSRF_FIELD).orElse("");
        Optional<String> basis = tokenBasis(call);
        if (basis.isEmpty() || !tokens.matches(basis.get(), token)) {
            throw new HttpProblem(403, "Forbidden",
                    "This form has expired or was not sent from this site. Go back, reload the page and try again.");
        }
    }

    // ---- small helpers ------------------------------------------------------------------------------------

    /** An instant as pages show it (when.jte): "3 minutes ago", the exact time on hover; "—" for none. */
    When time(Instant instant) {
        return times.when(instant, "—");
    }

    /** Now, by the clock the pages' times are told by. */
    Instant now() {
        return times.now();
    }

    /** As {@link #time(Instant)}, {@code none} ("never") when there is no instant. */
    When time(Optional<Instant> instant, String none) {
        return times.when(instant.orElse(null), none);
    }

    /** {@code next} when it is a path on this site (never another origin), else {@code fallback}. */
    static String safeNext(String next, String fallback) {
        if (next == null || next.isEmpty() || next.length() > 2000) return fallback;
        if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
        for (char c : next.toCharArray()) if (c < 0x21 || c == '\\' || c == 0x7f) return fallback;
        try {
            URI uri = URI.create(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) return fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
        return next;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * For a page that answers a failure itself: the status the one problem table gives {@code e}, with the headers
     * that go with it (Retry-After) set on the response.
     */
    static int status(HttpCall call, DomainException e) {
        Problems.headers(e).forEach(call::setHeader);
        return Problems.status(e);
    }

    /** What a page shows for {@code e}: its message, or every invalid field with its reason. */
    static String message(Exception e) {
        if (e instanceof InvalidInputException invalid) {
            return String.join("; ", invalid.errors().stream().map(f -> f.field() + ": " + f.message()).toList());
        }
        return e.getMessage();
    }

    /**
     * Newer/Older links (cursors, keeping {@code baseQuery}, already encoded, may be empty) for a page of a list
     * read with {@code request}, and its count line: "21–40 of 57" where the position is known (page numbers),
     * "Showing 20 of 10,000+" after a cursor; the count is capped ({@link Page#countCap}). {@code previousLabel}
     * and {@code nextLabel} name the two directions ("Newer", "Older" for a newest-first list).
     */
    static Pager pager(String path, String baseQuery, PageRequest request, Page<?> page, String previousLabel,
                       String nextLabel) {
        String total = String.format(Locale.ROOT, "%,d", page.totalCount()) + (page.totalCountExact() ? "" : "+");
        int shown = page.data().size();
        String summary = request.cursor().isPresent() || shown == 0
                ? "Showing " + String.format(Locale.ROOT, "%,d", shown) + " of " + total
                : String.format(Locale.ROOT, "%,d–%,d of ", request.offset() + 1, request.offset() + shown) + total;
        String prefix = path + "?" + (baseQuery.isEmpty() ? "" : baseQuery + "&") + Cursor.FIELD + "=";
        return new Pager(summary, total, page.previousCursor().map(c -> prefix + c.encode()).orElse(null),
                page.nextCursor().map(c -> prefix + c.encode()).orElse(null), previousLabel, nextLabel);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/static/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource /static/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
