package com.orgkeys.http.dashboard;

import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.CreateEndpointCommand;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.EndpointSecrets;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.UpdateEndpointCommand;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.http.dashboard.PageModels.EndpointRow;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.WebhookAttemptRow;
import com.orgkeys.http.dashboard.PageModels.WebhookDeletePage;
import com.orgkeys.http.dashboard.PageModels.WebhookDetailPage;
import com.orgkeys.http.dashboard.PageModels.WebhookFormPage;
import com.orgkeys.http.dashboard.PageModels.WebhookRotatePage;
import com.orgkeys.http.dashboard.PageModels.WebhookSecretPage;
import com.orgkeys.http.dashboard.PageModels.WebhooksPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.Requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Webhooks tab (members whose role holds {@code org:sys_webhooks:manage}): the endpoints with their last
 * attempt; add and edit one (URL, description, event filter, enabled); its page with the recent attempts, a test
 * event, replaying a message, revealing (a POST: deliberate, audited) and rotating the secret, deleting it.
 */
final class WebhookPages {
    private static final int PAGE_SIZE = 20;
    /** The attempt list shows the start of a receiver's answer; the whole stored 1 KB is in the JSON API. */
    static final int BODY_SHOWN = 200;

    private final Pages pages;
    private final ManageWebhooksUseCase webhooks;

    WebhookPages(Pages pages, ManageWebhooksUseCase webhooks) {
        this.pages = pages;
        this.webhooks = webhooks;
    }

    void register(Router router) {
        router.get("/settings/webhooks", pages.get(call -> list(call, 200, null)));
        // a new endpoint receives every type (none checked) and starts enabled, as over the API
        router.get("/settings/webhooks/new", pages.get(call -> formPage(call, 200, null, null,
                Form.empty().with("enabled", "true"))));
        router.post("/settings/webhooks", pages.post(this::create));
        router.get("/settings/webhooks/{id}/edit", pages.get(call -> editPage(call, 200, null, null)));
        router.post("/settings/webhooks/{id}/edit", pages.post(this::edit));
        // reversible: one button, no confirmation
        router.post("/settings/webhooks/{id}/disable", pages.post(call -> setEnabled(call, false)));
        router.post("/settings/webhooks/{id}/enable", pages.post(call -> setEnabled(call, true)));
        // removes the endpoint and its attempts: asked first
        router.get("/settings/webhooks/{id}/delete", pages.get(this::deletePage));
        router.post("/settings/webhooks/{id}/delete", pages.post(this::delete));
        router.post("/settings/webhooks/{id}/test", pages.post(this::sendTest));
        router.post("/settings/webhooks/{id}/messages/{messageId}/replay", pages.post(this::replay));
        // a POST, never a link: showing the secret is a deliberate, audited act, and its answer is not a page to reload
        router.post("/settings/webhooks/{id}/secret", pages.post(this::revealSecret));
        router.get("/settings/webhooks/{id}/rotate-secret", pages.get(this::rotatePage));
        router.post("/settings/webhooks/{id}/rotate-secret", pages.post(this::rotate));
        // after /settings/webhooks/new, which it would otherwise take
        router.get("/settings/webhooks/{id}", pages.get(call -> detail(call, 200, null)));
    }

    private static WebhookEndpointId endpointId(HttpCall call) {
        return Requests.pathId(call, "id", WebhookEndpointId::new, "No webhook endpoint");
    }

    private static List<String> eventTypes() {
        return EventFilter.ORGANIZATION_TYPES; // the dashboard manages an organization's endpoints only
    }

    // ---- list ---------------------------------------------------------------------------------------------

    private void list(HttpCall call, int status, String error) {
        var signed = pages.inOrganization(call);
        UserCaller caller = signed.caller();
        List<EndpointRow> rows = webhooks.listEndpoints(caller).stream().map(e -> row(caller, e, true)).toList();
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/webhooks.jte", new WebhooksPage(chrome, pages.tabs(caller, "webhooks"), rows,
                ManageWebhooksUseCase.MAX_ENDPOINTS));
    }

    /** {@code withLastAttempt}: read the endpoint's newest attempt too (the list and the endpoint's page show it). */
    private EndpointRow row(UserCaller caller, WebhookEndpoint e, boolean withLastAttempt) {
        Optional<WebhookAttempt> last = withLastAttempt
                ? webhooks.listAttempts(caller, e.id(), PageRequest.first(1)).data().stream().findFirst()
                : Optional.empty();
        return new EndpointRow(e.id().toString(), e.url().toString(), e.description(), List.copyOf(e.filter().types()),
                e.enabled(), pages.time(e.createdAt()), pages.time(e.failingSince(), ""),
                last.map(a -> a.succeeded() ? "succeeded" : "failed").orElse("none"),
                last.map(WebhookPages::outcome).orElse("No attempts yet"),
                last.map(a -> pages.time(a.attemptedAt())).orElse(null));
    }

    /** "200", "500", or what went wrong when the receiver was not reached ("connection refused"). */
    private static String outcome(WebhookAttempt a) {
        return a.responseStatus().map(s -> "HTTP " + s).orElseGet(() -> a.error().orElse("no answer"));
    }

    // ---- add, edit ----------------------------------------------------------------------------------------

    /** The add form ({@code endpoint} null) or the edit form of {@code endpoint}. */
    private void formPage(HttpCall call, int status, String error, EndpointRow endpoint, Form form) {
        var signed = pages.inOrganization(call);
        signed.caller().require(Permission.WEBHOOKS_MANAGE); // as the list: the page itself is for managers only
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/webhook_form.jte", new WebhookFormPage(chrome,
                pages.tabs(signed.caller(), "webhooks"), endpoint, eventTypes(), form));
    }

    private void create(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            WebhookEndpoint created = webhooks.createEndpoint(signed.caller(), new CreateEndpointCommand(
                    form.value("url").strip(), form.value("description"), call.formParams("eventTypes"),
                    form.value("enabled").equals("true")));
            call.redirect("/settings/webhooks/" + created.id() + "?notice=webhook-created");
        } catch (InvalidInputException e) {
            formPage(call, 422, null, null, form.withErrors(e));
        } catch (ConflictException e) {
            formPage(call, Pages.status(call, e), e.getMessage(), null, form);
        }
    }

    private void editPage(HttpCall call, int status, String error, Form submitted) {
        var signed = pages.inOrganization(call);
        WebhookEndpoint endpoint = webhooks.getEndpoint(signed.caller(), endpointId(call));
        Form form = submitted != null ? submitted : Form.empty().with("url", endpoint.url().toString())
                .with("description", endpoint.description()).withAll("eventTypes", List.copyOf(endpoint.filter().types()))
                .with("enabled", endpoint.enabled() ? "true" : "");
        formPage(call, status, error, row(signed.caller(), endpoint, false), form);
    }

    private void edit(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        WebhookEndpointId id = endpointId(call);
        try {
            // the whole form: an unchecked event type is one taken out of the filter (none checked: every type);
            // the instance-only types an endpoint was given before they were refused are not on the form: kept
            List<String> types = new ArrayList<>(call.formParams("eventTypes"));
            webhooks.getEndpoint(signed.caller(), id).filter().types().stream()
                    .filter(EventFilter.INSTANCE_ONLY_TYPES::contains).forEach(types::add);
            webhooks.updateEndpoint(signed.caller(), id, new UpdateEndpointCommand(Optional.of(form.value("url").strip()),
                    Optional.of(form.value("description")), Optional.of(types),
                    Optional.of(form.value("enabled").equals("true"))));
            call.redirect("/settings/webhooks/" + id + "?notice=webhook-saved");
        } catch (InvalidInputException e) {
            editPage(call, 422, null, form.withErrors(e));
        }
    }

    private void setEnabled(HttpCall call, boolean enabled) {
        var signed = pages.inOrganization(call);
        WebhookEndpointId id = endpointId(call);
        webhooks.updateEndpoint(signed.caller(), id, new UpdateEndpointCommand(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(enabled)));
        call.redirect("/settings/webhooks/" + id + "?notice=" + (enabled ? "webhook-enabled" : "webhook-disabled"));
    }

    // ---- the endpoint's page ------------------------------------------------------------------------------

    private void detail(HttpCall call, int status, String error) {
        var signed = pages.inOrganization(call);
        UserCaller caller = signed.caller();
        WebhookEndpointId id = endpointId(call);
        WebhookEndpoint endpoint = webhooks.getEndpoint(caller, id);
        PageRequest request = Requests.dashboardPage(call, PAGE_SIZE);
        var attempts = Requests.firstPageOnStaleCursor(request, r -> webhooks.listAttempts(caller, id, r));
        List<WebhookAttemptRow> rows = attempts.data().stream().map(a -> new WebhookAttemptRow(a.messageId(),
                a.eventType(), a.attempt(), pages.time(a.attemptedAt()), a.succeeded(),
                a.responseStatus().map(String::valueOf).orElse("—"), a.latencyMillis(),
                a.responseBody().length() > BODY_SHOWN ? a.responseBody().substring(0, BODY_SHOWN) + "…" : a.responseBody(),
                a.error().orElse(""))).toList();
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/webhook_detail.jte", new WebhookDetailPage(chrome,
                pages.tabs(caller, "webhooks"), row(caller, endpoint, true), rows,
                Pages.pager("/settings/webhooks/" + id, "", request, attempts, "Newer", "Older"),
                endpoint.previousSecretUntil().filter(pages.now()::isBefore).map(pages::time).orElse(null)));
    }

    private void sendTest(HttpCall call) {
        var signed = pages.inOrganization(call);
        WebhookEndpointId id = endpointId(call);
        try {
            webhooks.sendTestEvent(signed.caller(), id);
            call.redirect("/settings/webhooks/" + id + "?notice=webhook-test-sent");
        } catch (ConflictException e) {
            detail(call, Pages.status(call, e), e.getMessage()); // a disabled endpoint: says to enable it first
        }
    }

    private void replay(HttpCall call) {
        var signed = pages.inOrganization(call);
        WebhookEndpointId id = endpointId(call);
        try {
            webhooks.replayMessage(signed.caller(), id, call.pathParam("messageId"));
            call.redirect("/settings/webhooks/" + id + "?notice=webhook-replayed");
        } catch (ConflictException e) {
            detail(call, Pages.status(call, e), e.getMessage());
        }
    }

    private void revealSecret(HttpCall call) {
        var signed = pages.inOrganization(call);
        WebhookEndpointId id = endpointId(call);
        EndpointSecrets secrets = webhooks.revealSecret(signed.caller(), id);
        WebhookEndpoint endpoint = webhooks.getEndpoint(signed.caller(), id);
        // the secret is in this answer only: never in a URL, a redirect or a page that GETs
        pages.render(call, 200, "settings/webhook_secret.jte", new WebhookSecretPage(signed.chrome(),
                pages.tabs(signed.caller(), "webhooks"), row(signed.caller(), endpoint, false), secrets.secret().value(),
                secrets.previousSecret().map(WebhookSecret::value).orElse(null),
                secrets.previousSecretExpiresAt().map(pages::time).orElse(null)));
    }

    private void rotatePage(HttpCall call) {
        var signed = pages.inOrganization(call);
        WebhookEndpoint endpoint = webhooks.getEndpoint(signed.caller(), endpointId(call));
        pages.render(call, 200, "settings/webhook_rotate.jte", new WebhookRotatePage(signed.chrome(),
                pages.tabs(signed.caller(), "webhooks"), row(signed.caller(), endpoint, false)));
    }

    private void rotate(HttpCall call) {
        var signed = pages.inOrganization(call);
        WebhookEndpointId id = endpointId(call);
        webhooks.rotateSecret(signed.caller(), id);
        // the new secret is revealed on purpose from the endpoint's page (audited), as any reveal
        call.redirect("/settings/webhooks/" + id + "?notice=webhook-secret-rotated");
    }

    private void deletePage(HttpCall call) {
        var signed = pages.inOrganization(call);
        WebhookEndpoint endpoint = webhooks.getEndpoint(signed.caller(), endpointId(call));
        pages.render(call, 200, "settings/webhook_delete.jte", new WebhookDeletePage(signed.chrome(),
                pages.tabs(signed.caller(), "webhooks"), row(signed.caller(), endpoint, false)));
    }

    private void delete(HttpCall call) {
        var signed = pages.inOrganization(call);
        webhooks.deleteEndpoint(signed.caller(), endpointId(call));
        call.redirect("/settings/webhooks?notice=webhook-deleted");
    }
}
