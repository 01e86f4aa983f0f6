package com.orgkeys.http.webhook;

import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.CreateEndpointCommand;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.EndpointSecrets;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.UpdateEndpointCommand;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Webhook endpoints, in two places with the same shapes: {@code /api/webhooks/endpoints} for a signed-in user with
 * {@code org:sys_webhooks:manage} (their active organization's endpoints), and {@code /v1/webhooks/endpoints} for a
 * backend secret key (the instance-level endpoints, which receive every organization's events).
 */
public final class WebhookRoutes {
    public static final String API_BASE = "/api/webhooks/endpoints";
    public static final String BACKEND_BASE = "/v1/webhooks/endpoints";

    /** {@code eventTypes} left out or empty: every type; {@code enabled} left out: true. */
    record CreateRequest(String url, String description, List<String> eventTypes, Boolean enabled) {
    }

    /** A field left out (or null) stays as it is; {@code eventTypes} replace the endpoint's ({@code []}: every type). */
    record UpdateRequest(String url, String description, List<String> eventTypes, Boolean enabled) {
    }

    /** The endpoint without its secrets ({@code GET .../secret} shows them). */
    record EndpointJson(String id, String organizationId, String url, String description, List<String> eventTypes,
                        boolean enabled, Instant failingSince, Instant previousSecretExpiresAt, Instant createdAt,
                        Instant updatedAt) {
        static EndpointJson of(WebhookEndpoint e) {
            return new EndpointJson(e.id().toString(), e.organization().map(OrganizationId::toString).orElse(null),
                    e.url().toString(), e.description(), List.copyOf(e.filter().types()), e.enabled(),
                    e.failingSince().orElse(null), e.previousSecretUntil().orElse(null), e.createdAt(), e.updatedAt());
        }
    }

    record SecretJson(String secret, String previousSecret, Instant previousSecretExpiresAt) {
        static SecretJson of(EndpointSecrets s) {
            return new SecretJson(s.secret().value(), s.previousSecret().map(WebhookSecret::value).orElse(null),
                    s.previousSecretExpiresAt().orElse(null));
        }
    }

    record AttemptJson(String id, String messageId, String eventType, int attempt, Instant attemptedAt,
                       boolean succeeded, Integer responseStatus, long latencyMs, String responseBody, String error) {
        static AttemptJson of(WebhookAttempt a) {
            return new AttemptJson(a.id().toString(), a.messageId(), a.eventType(), a.attempt(), a.attemptedAt(),
                    a.succeeded(), a.responseStatus().orElse(null), a.latencyMillis(), a.responseBody(),
                    a.error().orElse(null));
        }
    }

    record MessageJson(String messageId) {
    }

    /** Testing, replaying and rotating take no fields: a body, if any, must be an empty object. */
    record EmptyRequest() {
    }

    private final ManageWebhooksUseCase webhooks;
    private final Authenticator auth;

    public WebhookRoutes(ManageWebhooksUseCase webhooks, Authenticator auth) {
        this.webhooks = webhooks;
        this.auth = auth;
    }

    public void register(Router router) {
        register(router, API_BASE, Access.USER, auth::requireUser);
        register(router, BACKEND_BASE, Access.SECRET_KEY, auth::requireSecretKey);
    }

    private void register(Router router, String base, Access access, Function<HttpCall, Caller> caller) {
        router.get(base, access, call -> call.json(200, new JsonBodies.ListJson<>(
                webhooks.listEndpoints(caller.apply(call)).stream().map(EndpointJson::of).toList())));
        router.post(base, access, call -> create(call, caller.apply(call), base));
        router.get(base + "/{id}", access, call -> {
            Caller c = caller.apply(call);
            call.json(200, EndpointJson.of(webhooks.getEndpoint(c, id(call))));
        });
        router.patch(base + "/{id}", access, call -> update(call, caller.apply(call)));
        router.delete(base + "/{id}", access, call -> {
            Caller c = caller.apply(call);
            webhooks.deleteEndpoint(c, id(call));
            call.noContent();
        });
        router.post(base + "/{id}/test", access, call -> {
            Caller c = caller.apply(call);
            WebhookEndpointId id = id(call);
            if (call.hasBody()) call.body(EmptyRequest.class);
            call.json(202, new MessageJson(webhooks.sendTestEvent(c, id)));
        });
        router.get(base + "/{id}/attempts", access, call -> {
            Caller c = caller.apply(call);
            WebhookEndpointId id = id(call);
            call.json(200, JsonBodies.PageJson.of(webhooks.listAttempts(c, id, Requests.page(call)).map(AttemptJson::of)));
        });
        router.post(base + "/{id}/messages/{messageId}/replay", access, call -> {
            Caller c = caller.apply(call);
            WebhookEndpointId id = id(call);
            String message = call.pathParam("messageId");
            if (call.hasBody()) call.body(EmptyRequest.class);
            call.json(202, new MessageJson(webhooks.replayMessage(c, id, message)));
        });
        router.get(base + "/{id}/secret", access, call -> {
            Caller c = caller.apply(call);
            call.json(200, SecretJson.of(webhooks.revealSecret(c, id(call))));
        });
        router.post(base + "/{id}/rotate-secret", access, call -> {
            Caller c = caller.apply(call);
            WebhookEndpointId id = id(call);
            if (call.hasBody()) call.body(EmptyRequest.class);
            call.json(200, SecretJson.of(webhooks.rotateSecret(c, id)));
        });
    }

    private static WebhookEndpointId id(HttpCall call) {
        return Requests.pathId(call, "id", WebhookEndpointId::new, "No webhook endpoint");
    }

    private void create(HttpCall call, Caller caller, String base) {
        CreateRequest body = call.body(CreateRequest.class);
        WebhookEndpoint created = webhooks.createEndpoint(caller, new CreateEndpointCommand(body.url(),
                body.description(), body.eventTypes(), body.enabled()));
        call.setHeader("Location", base + "/" + created.id());
        call.json(201, EndpointJson.of(created));
    }

    private void update(HttpCall call, Caller caller) {
        WebhookEndpointId id = id(call);
        UpdateRequest body = call.body(UpdateRequest.class);
        call.json(200, EndpointJson.of(webhooks.updateEndpoint(caller, id, new UpdateEndpointCommand(
                Optional.ofNullable(body.url()), Optional.ofNullable(body.description()),
                Optional.ofNullable(body.eventTypes()), Optional.ofNullable(body.enabled())))));
    }
}
