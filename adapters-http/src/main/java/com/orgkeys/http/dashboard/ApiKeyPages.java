package com.orgkeys.http.dashboard;

import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ApiKeyWithStatus;
import com.orgkeys.application.apikey.port.in.ReadApiKeyUsageUseCase;
import com.orgkeys.application.membership.port.in.ManageMembersUseCase;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.IpAllowlist;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.caller.Actor.ApiKeyActor;
import com.orgkeys.domain.caller.Actor.LeakReportActor;
import com.orgkeys.domain.caller.Actor.SecretKeyActor;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.dashboard.PageModels.ApiKeyCreatedPage;
import com.orgkeys.http.dashboard.PageModels.ApiKeyDeletePage;
import com.orgkeys.http.dashboard.PageModels.ApiKeyDetailPage;
import com.orgkeys.http.dashboard.PageModels.KeyEventRow;
import com.orgkeys.http.dashboard.PageModels.ApiKeyEditPage;
import com.orgkeys.http.dashboard.PageModels.ApiKeyNewPage;
import com.orgkeys.http.dashboard.PageModels.ApiKeyRevokePage;
import com.orgkeys.http.dashboard.PageModels.ApiKeyRotatePage;
import com.orgkeys.http.dashboard.PageModels.ApiKeyRotatedPage;
import com.orgkeys.http.dashboard.PageModels.ApiKeysPage;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.KeyRow;
import com.orgkeys.http.dashboard.PageModels.KeyRotation;
import com.orgkeys.http.dashboard.PageModels.KeyTraffic;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.FieldNames;
import com.orgkeys.http.shared.Requests;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API Keys tab: list with search, status filter and pages; generate (secret shown once); edit; disable and
 * enable; revoke; delete a revoked or expired key.
 */
final class ApiKeyPages {
    /** The dashboard's names for the core's fields, where they differ. */
    private static final FieldNames FIELDS = FieldNames.of("lifetime", "expiry", "text", "query", "gracePeriod", "grace");
    private static final int PAGE_SIZE = 20;
    /** Nonces are 43 characters (CsrfTokens.randomValue); anything much longer was not made here. */
    private static final int MAX_NONCE_LENGTH = 100;

    /** The chart's days: the usage route's default. */
    static final int CHART_DAYS = 30;

    private final Pages pages;
    private final ManageApiKeysUseCase keys;
    private final ReadApiKeyUsageUseCase usage;
    private final ManageMembersUseCase members;

    ApiKeyPages(Pages pages, ManageApiKeysUseCase keys, ReadApiKeyUsageUseCase usage, ManageMembersUseCase members) {
        this.pages = pages;
        this.keys = keys;
        this.usage = usage;
        this.members = members;
    }

    void register(Router router) {
        router.get("/settings/api-keys", pages.get(this::list));
        // A new key starts with every scope a key can have checked (the feature permissions): a key without
        // scopes could do nothing.
        router.get("/settings/api-keys/new", pages.get(call -> newPage(call, 200, null, Form.empty()
                .with("expiry", "never").with("subject", "organization").withAll("scopes", Permission.FEATURES.stream().map(Permission::value).toList()))));
        router.post("/settings/api-keys", pages.post(this::create));
        router.get("/settings/api-keys/{id}/revoke", pages.get(call -> revokePage(call, 200, null, Form.empty())));
        router.post("/settings/api-keys/{id}/revoke", pages.post(this::revoke));
        // no grace period preselected: the choice between "a leak, stop it now" and "a planned change" is the user's
        router.get("/settings/api-keys/{id}/rotate", pages.get(call -> rotatePage(call, 200, null, Form.empty())));
        router.post("/settings/api-keys/{id}/rotate", pages.post(this::rotate));
        router.get("/settings/api-keys/{id}/edit", pages.get(call -> editPage(call, 200, null, null)));
        router.post("/settings/api-keys/{id}/edit", pages.post(this::edit));
        // reversible: one button in the list, no confirmation
        router.post("/settings/api-keys/{id}/disable", pages.post(call -> changeState(call, true)));
        router.post("/settings/api-keys/{id}/enable", pages.post(call -> changeState(call, false)));
        // removes the key from every list for good: asked first
        router.get("/settings/api-keys/{id}/delete", pages.get(this::deletePage));
        router.post("/settings/api-keys/{id}/delete", pages.post(this::delete));
        // traffic controls, on the key's own page; the organization's default on the list
        router.post("/settings/api-keys/{id}/allowlist", pages.post(this::setAllowlist));
        router.post("/settings/api-keys/{id}/rate-limit", pages.post(this::setRateLimit));
        router.post("/settings/api-keys/{id}/rate-limit/remove", pages.post(this::removeRateLimit));
        router.post("/settings/api-keys/default-rate-limit", pages.post(this::setDefaultRateLimit));
        router.post("/settings/api-keys/default-rate-limit/remove", pages.post(this::removeDefaultRateLimit));
        // after /settings/api-keys/new, which it would otherwise take
        router.get("/settings/api-keys/{id}", pages.get(call -> detail(call, 200, null, null, List.of(), null)));
    }

    /**
     * The key's page; {@code allowlistForm} and {@code rateLimitForm} (null: as the key is) with their errors after a
     * refused submit, {@code error} a banner.
     */
    private void detail(HttpCall call, int status, String error, Form allowlistForm, List<String> allowlistErrors,
                        Form rateLimitForm) {
        var signed = pages.inOrganization(call);
        UserCaller caller = signed.caller();
        ApiKeyId id = keyId(call);
        var key = keys.getApiKey(caller, id);
        Optional<RateLimit> orgDefault = keys.getApiKeyDefaults(caller).rateLimit();
        var used = usage.getApiKeyUsage(caller, id, CHART_DAYS);
        var events = usage.getApiKeyHistory(caller, id);
        Set<UserId> actors = new HashSet<>();
        actors.addAll(creators(List.of(key)));
        events.forEach(e -> {
            if (e.actor() instanceof UserActor user) actors.add(user.userId());
        });
        Map<UserId, String> names = memberNames(caller, actors);
        List<KeyEventRow> history = events.stream().map(e -> new KeyEventRow(pages.time(e.occurredAt()),
                eventName(e.action()), actorName(e.actor(), names), e.details())).toList();
        String subject = key.key().owner() // creators() named the owner too
                .map(u -> "Acts as " + names.getOrDefault(u, "a former member") + ", with the scopes they hold")
                .orElse("The organization " + signed.chrome().active().name());
        ApiKey k = key.key();
        Instant now = pages.now();
        // the previous secret's end: its grace period's, or the key's own expiry if sooner
        KeyRotation rotation = k.rotation().map(r -> {
            Instant until = r.previousSecretHash().flatMap(k::secretExpiresAt).orElse(r.previousSecretExpiresAt());
            return new KeyRotation(pages.time(r.rotatedAt()), pages.time(until),
                    r.previousSecretHashAt(now).isPresent() && now.isBefore(until));
        }).orElse(null);
        boolean canManage = manageable(caller, k); // a member's own key, or any with the permission
        boolean changeable = key.status() == ApiKeyStatus.ACTIVE || key.status() == ApiKeyStatus.DISABLED;
        Form allowlist = allowlistForm != null ? allowlistForm
                : Form.empty().with("allowlist", String.join("\n", k.allowlist().texts()));
        Form rateLimit = rateLimitForm != null ? rateLimitForm : k.rateLimit()
                .map(r -> Form.empty().with("requests", Integer.toString(r.requests()))
                        .with("windowSeconds", Integer.toString(r.windowSeconds())))
                .orElse(Form.empty());
        KeyTraffic traffic = new KeyTraffic(k.allowlist().texts(), appliedRateLimit(k.rateLimit(), orgDefault),
                k.rateLimit().isPresent(), canManage && changeable, allowlist, allowlistErrors, rateLimit);
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/api_key_detail.jte", new ApiKeyDetailPage(chrome,
                pages.tabs(caller, "api-keys"), row(caller, key, names), subject, used.lastUsedAddress().orElse(""), history,
                UsageCharts.of(k.name(), used), canManage, rotation, traffic));
    }

    // ---- traffic controls ---------------------------------------------------------------------------------

    /** Which rate limit a key with {@code own} in an organization with {@code orgDefault} is held to, in words. */
    static String appliedRateLimit(Optional<RateLimit> own, Optional<RateLimit> orgDefault) {
        if (own.isPresent()) {
            return words(own.get()) + ": this key's own limit" + orgDefault
                    .map(d -> " (instead of the organization's default, " + words(d) + ")").orElse("");
        }
        return orgDefault.map(d -> words(d) + ": the organization's default (this key has no limit of its own)")
                .orElse("None: neither this key nor the organization has a rate limit.");
    }

    /** "100 requests per minute", "1 request per 90 seconds", "5,000 requests per 2 hours". */
    static String words(RateLimit limit) {
        String requests = String.format(Locale.ROOT, "%,d", limit.requests()) + (limit.requests() == 1 ? " request" : " requests");
        int s = limit.windowSeconds();
        String window;
        if (s % 86_400 == 0) window = per(s / 86_400, "day");
        else if (s % 3_600 == 0) window = per(s / 3_600, "hour");
        else if (s % 60 == 0) window = per(s / 60, "minute");
        else window = per(s, "second");
        return requests + " per " + window;
    }

    private static String per(int n, String unit) {
        return n == 1 ? unit : String.format(Locale.ROOT, "%,d", n) + " " + unit + "s";
    }

    /** The textarea's lines, blank ones skipped: each entry with its line number (1-based) for the errors. */
    private record Lines(List<String> entries, List<Integer> numbers) {
        static Lines of(String text) {
            List<String> entries = new java.util.ArrayList<>();
            List<Integer> numbers = new java.util.ArrayList<>();
            String[] lines = text.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                entries.add(lines[i].strip());
                numbers.add(i + 1);
            }
            return new Lines(entries, numbers);
        }
    }

    private static final Pattern ENTRY_FIELD = Pattern.compile("allowlist\\[(\\d+)]");

    private void setAllowlist(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        ApiKeyId id = keyId(call);
        Lines lines = Lines.of(form.value("allowlist"));
        try {
            keys.setAllowlist(signed.caller(), id, lines.entries());
            call.redirect("/settings/api-keys/" + id + "?notice=allowlist-saved");
        } catch (InvalidInputException e) {
            // each bad entry named by its line in the textarea, not by its place in the list
            List<String> errors = e.errors().stream().map(f -> {
                Matcher m = ENTRY_FIELD.matcher(f.field());
                if (!m.matches()) {
                    return f.field().equals("allowlist") && lines.entries().size() > IpAllowlist.MAX_RANGES
                            ? "At most " + IpAllowlist.MAX_RANGES + " ranges; you entered " + lines.entries().size() + "."
                            : Pages.message(new InvalidInputException(List.of(f)));
                }
                int entry = Integer.parseInt(m.group(1));
                return "Line " + lines.numbers().get(entry) + ": " + f.message();
            }).toList();
            detail(call, 422, null, form.withErrors(List.of(new FieldError("allowlist", String.join(" ", errors)))),
                    errors, null);
        } catch (ConflictException | ForbiddenException e) {
            detail(call, Pages.status(call, e), e.getMessage(), form, List.of(), null);
        }
    }

    private void setRateLimit(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        ApiKeyId id = keyId(call);
        try {
            keys.setRateLimit(signed.caller(), id, Optional.of(rateLimit(form)));
            call.redirect("/settings/api-keys/" + id + "?notice=rate-limit-saved");
        } catch (InvalidInputException e) {
            detail(call, 422, null, null, List.of(), form.withErrors(e));
        } catch (ConflictException | ForbiddenException e) {
            detail(call, Pages.status(call, e), e.getMessage(), null, List.of(), form);
        }
    }

    private void removeRateLimit(HttpCall call) {
        var signed = pages.inOrganization(call);
        ApiKeyId id = keyId(call);
        try {
            keys.setRateLimit(signed.caller(), id, Optional.empty());
            call.redirect("/settings/api-keys/" + id + "?notice=rate-limit-removed");
        } catch (ConflictException | ForbiddenException e) {
            detail(call, Pages.status(call, e), e.getMessage(), null, List.of(), null);
        }
    }

    private void setDefaultRateLimit(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            DEFAULT_FIELDS.call(() -> keys.setApiKeyDefaults(signed.caller(), Optional.of(rateLimit(form))));
            call.redirect("/settings/api-keys?notice=default-rate-limit-saved");
        } catch (InvalidInputException e) {
            list(call, 422, null, form.withErrors(e));
        } catch (ForbiddenException e) {
            list(call, Pages.status(call, e), e.getMessage(), form);
        }
    }

    private void removeDefaultRateLimit(HttpCall call) {
        var signed = pages.inOrganization(call);
        try {
            keys.setApiKeyDefaults(signed.caller(), Optional.empty());
            call.redirect("/settings/api-keys?notice=default-rate-limit-removed");
        } catch (ForbiddenException e) {
            list(call, Pages.status(call, e), e.getMessage(), null);
        }
    }

    /** The core names the default's fields under {@code rateLimit.}; the form, as a key's. */
    private static final FieldNames DEFAULT_FIELDS = FieldNames.of("rateLimit.requests", "requests",
            "rateLimit.windowSeconds", "windowSeconds");

    /** The form's two numbers; a field that is not a whole number is refused here, with the other's problem too. */
    private static ManageApiKeysUseCase.RateLimitCommand rateLimit(Form form) {
        List<FieldError> errors = new java.util.ArrayList<>();
        Integer requests = number(form, "requests", errors);
        Integer window = number(form, "windowSeconds", errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return new ManageApiKeysUseCase.RateLimitCommand(requests, window);
    }

    private static Integer number(Form form, String field, List<FieldError> errors) {
        String text = form.value(field).strip().replace(",", "").replace("_", "");
        if (text.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!text.matches("[0-9]{1,18}")) {
            errors.add(new FieldError(field, "must be a whole number"));
            return null;
        }
        long value = Long.parseLong(text);
        return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value; // over the maximum: the core says which
    }

    /** "api_key.disabled" → "Disabled"; an action this page does not know yet reads as its last word. */
    static String eventName(String action) {
        return switch (action) {
            case "api_key.created" -> "Created";
            case "api_key.updated" -> "Edited";
            case "api_key.rotated" -> "Rotated";
            case "api_key.disabled" -> "Disabled";
            case "api_key.enabled" -> "Enabled";
            case "api_key.revoked" -> "Revoked";
            case "api_key.deleted" -> "Deleted";
            default -> {
                String last = action.substring(action.lastIndexOf('.') + 1).replace('_', ' ');
                yield last.isEmpty() ? action : Character.toUpperCase(last.charAt(0)) + last.substring(1);
            }
        };
    }

    private static String actorName(Actor actor, Map<UserId, String> names) {
        return switch (actor) {
            case UserActor user -> names.getOrDefault(user.userId(), "a member");
            case ApiKeyActor apiKey -> "the API key " + apiKey.value();
            case SecretKeyActor backend -> "the backend API (" + backend.value() + ")";
            case LeakReportActor report -> "a leak report";
        };
    }

    private static Set<UserId> creators(List<ApiKeyWithStatus> keys) {
        Set<UserId> creators = new HashSet<>();
        for (ApiKeyWithStatus key : keys) {
            if (key.key().createdBy() instanceof UserActor user) creators.add(user.userId());
            key.key().owner().ifPresent(creators::add); // and whom a user's key acts as
        }
        return creators;
    }

    /** The names of exactly the members who made {@code keys} (however many members there are), by creator. */
    private Map<UserId, String> memberNames(UserCaller caller, List<ApiKeyWithStatus> keys) {
        return memberNames(caller, creators(keys));
    }

    private Map<UserId, String> memberNames(UserCaller caller, Set<UserId> users) {
        Map<UserId, String> names = new HashMap<>();
        if (!caller.has(Permission.MEMBERSHIPS_READ)) return names;
        members.findMembers(caller, users)
                .forEach(m -> names.put(m.userId(), m.name().isBlank() ? m.email().value() : m.name()));
        return names;
    }

    private KeyRow row(UserCaller caller, ApiKeyWithStatus key, Map<UserId, String> names) {
        ApiKey k = key.key();
        String createdBy = switch (k.createdBy()) {
            case UserActor user -> names.getOrDefault(user.userId(), "a former member");
            case ApiKeyActor apiKey -> apiKey.value();
            case SecretKeyActor backend -> "the backend API (" + backend.value() + ")";
            case LeakReportActor report -> "a leak report";
        };
        return new KeyRow(k.id().toString(), k.name(), k.description(), k.hint(),
                k.scopes().stream().map(Permission::value).toList(), createdBy, pages.time(k.createdAt()),
                pages.time(k.expiresAt(), "never"), pages.time(k.lastUsedAt(), "never"),
                key.status().value(), k.revocationReason().orElse(""),
                k.owner().map(u -> names.getOrDefault(u, "a former member")).orElse(""), manageable(caller, k),
                caller.has(Permission.API_KEYS_MANAGE));
    }

    /** Managers change every key, a member their own (personal keys); the use cases check it again. */
    private static boolean manageable(UserCaller caller, ApiKey key) {
        return caller.has(Permission.API_KEYS_MANAGE) || key.owner().equals(Optional.of(caller.userId()));
    }

    /** The confirmation pages of a change: only for a key the caller may change (403, as the change would be). */
    private static ApiKeyWithStatus requireManageable(UserCaller caller, ApiKeyWithStatus key) {
        if (!manageable(caller, key.key())) caller.require(Permission.API_KEYS_MANAGE);
        return key;
    }

    private void list(HttpCall call) {
        list(call, 200, null, null);
    }

    private void list(HttpCall call, int httpStatus, String error) {
        list(call, httpStatus, error, null);
    }

    /** {@code defaultForm}: the default rate limit's form as submitted (null: as it is). */
    private void list(HttpCall call, int httpStatus, String error, Form defaultForm) {
        var signed = pages.inOrganization(call);
        var caller = signed.caller();
        String query = call.queryParam("query").orElse("").strip();
        String status = call.queryParam("status").orElse("all");
        PageRequest request = Requests.dashboardPage(call, PAGE_SIZE);
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        var page = new com.orgkeys.domain.shared.Page<ApiKeyWithStatus>(List.of(), 0);
        try {
            var statusFilter = Requests.apiKeyStatus(Optional.of(status));
            page = FIELDS.call(() -> Requests.firstPageOnStaleCursor(request, r -> keys.listApiKeys(caller,
                    new ManageApiKeysUseCase.ListApiKeysQuery(query.isEmpty() ? null : query, statusFilter, r))));
        } catch (InvalidInputException e) {
            chrome = chrome.withError(Pages.message(e));
        }
        var names = memberNames(caller, page.data());
        var rows = page.data().stream().map(v -> row(caller, v, names)).toList();
        String base = "query=" + Pages.encode(query) + "&status=" + Pages.encode(status);
        Optional<RateLimit> orgDefault = keys.getApiKeyDefaults(caller).rateLimit();
        Form form = defaultForm != null ? defaultForm : orgDefault
                .map(r -> Form.empty().with("requests", Integer.toString(r.requests()))
                        .with("windowSeconds", Integer.toString(r.windowSeconds())))
                .orElse(Form.empty());
        pages.render(call, httpStatus, "settings/api_keys.jte", new ApiKeysPage(chrome, pages.tabs(caller, "api-keys"), rows,
                query, status, Pages.pager("/settings/api-keys", base, request, page, "Newer", "Older"),
                caller.has(Permission.API_KEYS_MANAGE), orgDefault.map(ApiKeyPages::words).orElse("none"),
                orgDefault.isPresent(), form));
    }

    private void newPage(HttpCall call, int status, String error, Form form) {
        var signed = pages.inOrganization(call);
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        boolean forOrganization = signed.caller().has(Permission.API_KEYS_MANAGE);
        if (!forOrganization) form = form.with("subject", "user"); // a member's own key: the only choice
        String nonce = form.value("nonce").isEmpty() ? CsrfTokens.randomValue() : form.value("nonce");
        pages.render(call, status, "settings/api_key_new.jte", new ApiKeyNewPage(chrome,
                pages.tabs(signed.caller(), "api-keys"), Permission.FEATURES.stream().map(Permission::value).toList(), form, nonce,
                forOrganization));
    }

    private void create(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        String nonce = form.value("nonce");
        if (nonce.length() > MAX_NONCE_LENGTH) {
            pages.error(call, 400, "This form was not made by this server; reload the page and submit it again.");
            return;
        }
        Optional<Duration> lifetime;
        try {
            lifetime = expiry(form);
        } catch (InvalidInputException e) {
            newPage(call, 422, null, form.withErrors(e));
            return;
        }
        if (nonce.isEmpty()) {
            alreadySubmitted(call);
            return;
        }
        try {
            // The nonce is the request's idempotency key: a second submit of this form, to any node, makes no key.
            var key = FIELDS.call(() -> keys.createApiKey(signed.caller(), new ManageApiKeysUseCase.CreateApiKeyCommand(
                    form.value("name"), form.value("description"), Optional.of(call.formParams("scopes")), lifetime,
                    Optional.of(nonce), Optional.of(form.value("subject")).filter(v -> !v.isEmpty()))));
            var shown = new ApiKeyWithStatus(key.key(), key.status());
            // The secret is in this answer only: never in a URL, a redirect, or anything stored.
            pages.render(call, 201, "settings/api_key_created.jte", new ApiKeyCreatedPage(signed.chrome(),
                    pages.tabs(signed.caller(), "api-keys"), row(signed.caller(), shown, memberNames(signed.caller(), List.of(shown))),
                    key.secret()));
        } catch (ConflictException e) {
            // this form made a key already, or the member has as many keys as they may: the use case says which
            pages.error(call, 409, e.getMessage());
        } catch (InvalidInputException e) {
            newPage(call, 422, null, form.withErrors(e));
        } catch (ForbiddenException e) {
            newPage(call, 403, e.getMessage(), form);
        }
    }

    private void alreadySubmitted(HttpCall call) {
        pages.error(call, 409, "This form was already submitted, and a key's secret is shown only once. "
                + "Find the key in the list, or revoke it and generate a new one.");
    }

    private static Optional<Duration> expiry(Form form) {
        String choice = form.value("expiry");
        // A number typed into "In [ ] days" is a choice of its own: with "Never" (the preselected default) still
        // checked it means that number of days, never a key that does not expire; next to 7, 30 or 90 it is
        // ambiguous and refused.
        if (!form.value("customDays").isBlank() && !choice.equals("custom")) {
            if (Set.of("7", "30", "90").contains(choice)) {
                throw new InvalidInputException("customDays", "you chose “In " + choice + " days” and typed a number "
                        + "of days too: select “In … days” or empty the number");
            }
            if (choice.isEmpty() || choice.equals("never")) choice = "custom";
        }
        long days;
        switch (choice) {
            case "", "never" -> {
                return Optional.empty();
            }
            case "7", "30", "90" -> days = Long.parseLong(choice);
            case "custom" -> {
                try {
                    days = Long.parseLong(form.value("customDays").strip());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("customDays", "must be a whole number of days");
                }
                if (days < 1 || days > ApiKey.MAX_LIFETIME.toDays()) {
                    throw new InvalidInputException("customDays", "must be 1–" + ApiKey.MAX_LIFETIME.toDays() + " days");
                }
            }
            default -> throw new InvalidInputException("expiry", "choose never, 7, 30, 90 days or custom");
        }
        return Optional.of(Duration.ofDays(days));
    }

    private ApiKeyId keyId(HttpCall call) {
        return Requests.pathId(call, "id", ApiKeyId::new, "No API key");
    }

    private void revokePage(HttpCall call, int status, String error, Form form) {
        var signed = pages.inOrganization(call);
        var key = requireManageable(signed.caller(), keys.getApiKey(signed.caller(), keyId(call)));
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/api_key_revoke.jte", new ApiKeyRevokePage(chrome,
                pages.tabs(signed.caller(), "api-keys"), row(signed.caller(), key, memberNames(signed.caller(), List.of(key))), form));
    }

    private void revoke(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        String reason = form.value("reason").strip();
        try {
            ApiKeyId id = keyId(call);
            FIELDS.call(() -> keys.revokeApiKey(signed.caller(), id, reason.isEmpty() ? Optional.empty() : Optional.of(reason)));
            call.redirect("/settings/api-keys?notice=key-revoked");
        } catch (InvalidInputException e) {
            revokePage(call, 422, null, form.withErrors(e));
        }
    }

    private void rotatePage(HttpCall call, int status, String error, Form form) {
        var signed = pages.inOrganization(call);
        var key = requireManageable(signed.caller(), keys.getApiKey(signed.caller(), keyId(call)));
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        String seen = form.value("seen").isEmpty() ? key.key().updatedAt().toString() : form.value("seen");
        pages.render(call, status, "settings/api_key_rotate.jte", new ApiKeyRotatePage(chrome,
                pages.tabs(signed.caller(), "api-keys"), row(signed.caller(), key, memberNames(signed.caller(), List.of(key))), seen, form));
    }

    private void rotate(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            ApiKeyId id = keyId(call);
            Duration grace = gracePeriod(form.value("grace"));
            Instant seen = seen(form.value("seen"));
            var rotated = FIELDS.call(() -> keys.rotateApiKey(signed.caller(), id,
                    new ManageApiKeysUseCase.RotateApiKeyCommand(Optional.of(grace), Optional.of(seen))));
            var shown = new ApiKeyWithStatus(rotated.key(), rotated.status());
            // the secret is in this answer only, as at creation
            pages.render(call, 200, "settings/api_key_rotated.jte", new ApiKeyRotatedPage(signed.chrome(),
                    pages.tabs(signed.caller(), "api-keys"), row(signed.caller(), shown, memberNames(signed.caller(), List.of(shown))),
                    rotated.secret(), pages.time(rotated.key().rotation().orElseThrow().previousSecretExpiresAt())));
        } catch (InvalidInputException e) {
            rotatePage(call, 422, null, form.withErrors(e));
        } catch (ConflictException | ForbiddenException e) {
            // the key as it is now: sending the form again is then a deliberate second rotation
            rotatePage(call, Pages.status(call, e), e.getMessage(), form.with("seen", ""));
        }
    }

    /** The key's updatedAt when the form was shown: without it a reloaded form could rotate the key again. */
    private static Instant seen(String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("grace", "this form was not made by this server; open it again");
        }
    }

    /** One of the form's choices, in seconds; nothing chosen is refused rather than guessed. */
    private static Duration gracePeriod(String choice) {
        if (!Set.of("0", "3600", "86400", "604800").contains(choice)) {
            throw new InvalidInputException("grace", "choose how long the current secret keeps working");
        }
        return Duration.ofSeconds(Long.parseLong(choice));
    }

    private void editPage(HttpCall call, int status, String error, Form submitted) {
        var signed = pages.inOrganization(call);
        var key = requireManageable(signed.caller(), keys.getApiKey(signed.caller(), keyId(call)));
        Form form = submitted;
        if (form == null) {
            form = Form.empty().with("name", key.key().name()).with("description", key.key().description())
                    .withAll("scopes", key.key().scopes().stream().map(Permission::value).toList());
        }
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/api_key_edit.jte", new ApiKeyEditPage(chrome,
                pages.tabs(signed.caller(), "api-keys"), row(signed.caller(), key, memberNames(signed.caller(), List.of(key))),
                Permission.FEATURES.stream().map(Permission::value).toList(), form));
    }

    private void edit(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            ApiKeyId id = keyId(call);
            // the whole form: every checkbox left unchecked is a scope taken away
            keys.editApiKey(signed.caller(), id, new ManageApiKeysUseCase.EditApiKeyCommand(Optional.of(form.value("name")),
                    Optional.of(form.value("description")), Optional.of(call.formParams("scopes"))));
            call.redirect("/settings/api-keys?notice=key-saved");
        } catch (InvalidInputException e) {
            editPage(call, 422, null, form.withErrors(e));
        } catch (ConflictException | ForbiddenException e) {
            editPage(call, Pages.status(call, e), e.getMessage(), form);
        }
    }

    private void changeState(HttpCall call, boolean disable) {
        var signed = pages.inOrganization(call);
        try {
            ApiKeyId id = keyId(call);
            if (disable) keys.disableApiKey(signed.caller(), id);
            else keys.enableApiKey(signed.caller(), id);
            call.redirect("/settings/api-keys?notice=" + (disable ? "key-disabled" : "key-enabled"));
        } catch (ConflictException | ForbiddenException | NotFoundException e) {
            list(call, Pages.status(call, e), e.getMessage());
        }
    }

    private void deletePage(HttpCall call) {
        var signed = pages.inOrganization(call);
        var key = requireManageable(signed.caller(), keys.getApiKey(signed.caller(), keyId(call)));
        pages.render(call, 200, "settings/api_key_delete.jte", new ApiKeyDeletePage(signed.chrome(),
                pages.tabs(signed.caller(), "api-keys"), row(signed.caller(), key, memberNames(signed.caller(), List.of(key)))));
    }

    private void delete(HttpCall call) {
        var signed = pages.inOrganization(call);
        try {
            keys.deleteApiKey(signed.caller(), keyId(call));
            call.redirect("/settings/api-keys?notice=key-deleted");
        } catch (ConflictException | ForbiddenException | NotFoundException e) {
            list(call, Pages.status(call, e), e.getMessage());
        }
    }
}
