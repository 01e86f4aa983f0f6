package com.orgkeys.application.webhook.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookSender;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.domain.webhook.WebhookUrl;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Manages webhook endpoints ({@link ManageWebhooksUseCase}). Every write re-reads the caller's permission in its
 * transaction, under the organization's lock (as API keys do), and is audited in the organization. Instance-level
 * endpoints belong to no organization, so their changes go to the server log with the secret key's id (as the
 * secret keys' own changes are kept outside any organization's audit log). URLs are checked against the sender's
 * guard (https, public addresses) when set, as well as at every delivery. Test events and replays are limited per
 * endpoint ({@link AccountThrottle#reserveWebhookSend}), shared by every node.
 */
public final class WebhookService implements ManageWebhooksUseCase {
    private static final System.Logger LOG = System.getLogger("orgkeys.webhooks");
    private static final java.util.regex.Pattern MESSAGE_ID = java.util.regex.Pattern.compile("msg_[0-9a-f]{32}");

    private final WebhookEndpointRepository endpoints;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookEventRecorder events;
    private final WebhookSender sender;
    private final Grants grants;
    private final AccountThrottle throttle;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;

    public WebhookService(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
                          WebhookEventRecorder events, WebhookSender sender, Grants grants, AccountThrottle throttle,
                          Audit audit, TransactionRunner tx, Clock clock) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.events = Objects.requireNonNull(events, "events");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whose endpoints the caller manages: the instance's (empty) for a secret key not bound to an organization. */
    private static Optional<OrganizationId> level(Caller caller) {
        if (caller instanceof SecretKeyCaller backend && backend.organizationId().isEmpty()) return Optional.empty();
        return Optional.of(caller.require(Permission.WEBHOOKS_MANAGE));
    }

    /** Runs a write in a transaction after checking the caller's permission as it is now (under the org's lock). */
    private <T> T write(Caller caller, Optional<OrganizationId> level, Supplier<T> work) {
        return tx.inTransaction(() -> {
            level.ifPresent(org -> grants.lockAndRequire(caller, org, Permission.WEBHOOKS_MANAGE));
            return work.get();
        });
    }

    private WebhookEndpoint found(Optional<OrganizationId> level, WebhookEndpointId id, boolean forUpdate) {
        Optional<WebhookEndpoint> endpoint = forUpdate ? endpoints.findForUpdate(id) : endpoints.find(id);
        return endpoint.filter(e -> e.organization().equals(level))
                .orElseThrow(() -> new NotFoundException("No webhook endpoint " + id + "."));
    }

    private void record(Caller caller, Optional<OrganizationId> level, String action, WebhookEndpointId id,
                        String details) {
        if (level.isPresent()) {
            audit.record(caller, level.get(), action, id.toString(), details);
        } else {
            LOG.log(System.Logger.Level.INFO, "{0} {1} by {2} from {3}: {4}", action, id, caller.actor().value(),
                    caller.clientAddress(), details);
        }
    }

    @Override
    public List<WebhookEndpoint> listEndpoints(Caller caller) {
        return endpoints.listFor(level(caller));
    }

    @Override
    public WebhookEndpoint getEndpoint(Caller caller, WebhookEndpointId id) {
        return found(level(caller), id, false);
    }

    @Override
    public WebhookEndpoint createEndpoint(Caller caller, CreateEndpointCommand command) {
        Optional<OrganizationId> level = level(caller);
        List<FieldError> errors = new ArrayList<>();
        WebhookUrl url = field(errors, () -> checkedUrl(command.url()));
        EventFilter filter = field(errors, () -> filter(command.eventTypes()));
        String description = command.description() == null ? "" : command.description();
        Instant now = clock.instant();
        WebhookEndpoint endpoint = errors.isEmpty() ? field(errors, () -> WebhookEndpoint.create(level, url,
                description, filter, now)) : null;
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        WebhookEndpoint created = command.enabled() == null || command.enabled() ? endpoint
                : endpoint.edit(endpoint.url(), endpoint.description(), endpoint.filter(), false, now);
        return write(caller, level, () -> {
            if (endpoints.listFor(level).size() >= MAX_ENDPOINTS) {
                throw new ConflictException("At most " + MAX_ENDPOINTS + " webhook endpoints: delete one first.");
            }
            endpoints.add(created);
            record(caller, level, "webhook_endpoint.created", created.id(), "url=" + created.url().withoutQuery()
                    + " eventTypes=" + String.join(",", created.filter().types()));
            return created;
        });
    }

    @Override
    public WebhookEndpoint updateEndpoint(Caller caller, WebhookEndpointId id, UpdateEndpointCommand command) {
        Optional<OrganizationId> level = level(caller);
        List<FieldError> errors = new ArrayList<>();
        Optional<WebhookUrl> url = field(errors, () -> command.url().map(this::checkedUrl));
        Optional<EventFilter> filter = field(errors, () -> command.eventTypes().map(WebhookService::filter));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Instant now = clock.instant();
        return write(caller, level, () -> {
            WebhookEndpoint before = found(level, id, true);
            WebhookEndpoint after = before.edit(url.orElse(before.url()), command.description().orElse(before.description()),
                    filter.orElse(before.filter()), command.enabled().orElse(before.enabled()), now);
            endpoints.update(after);
            record(caller, level, "webhook_endpoint.updated", id, "url=" + after.url().withoutQuery() + " enabled=" + after.enabled()
                    + " eventTypes=" + String.join(",", after.filter().types()));
            return after;
        });
    }

    @Override
    public void deleteEndpoint(Caller caller, WebhookEndpointId id) {
        Optional<OrganizationId> level = level(caller);
        write(caller, level, () -> {
            WebhookEndpoint endpoint = found(level, id, true);
            endpoints.delete(id);
            record(caller, level, "webhook_endpoint.deleted", id, "url=" + endpoint.url().withoutQuery());
            return null;
        });
    }

    @Override
    public String sendTestEvent(Caller caller, WebhookEndpointId id) {
        Optional<OrganizationId> level = level(caller);
        checkTestable(found(level, id, false));
        // counted once the caller may send (a refused caller spends nothing); the throttle runs outside transactions
        throttle.reserveWebhookSend(id);
        return write(caller, level, () -> {
            WebhookEndpoint endpoint = found(level, id, false);
            checkTestable(endpoint);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("object", "webhook_test");
            data.put("endpoint_id", id.toString());
            data.put("message", "A test event from orgkeys.");
            String message = events.recordTest(endpoint, data);
            record(caller, level, "webhook_endpoint.tested", id, "message=" + message);
            return message;
        });
    }

    @Override
    public Page<WebhookAttempt> listAttempts(Caller caller, WebhookEndpointId id, PageRequest page) {
        WebhookEndpoint endpoint = found(level(caller), id, false);
        return deliveries.attemptPage(endpoint.id(), page);
    }

    @Override
    public String replayMessage(Caller caller, WebhookEndpointId id, String messageId) {
        Optional<OrganizationId> level = level(caller);
        checkReplayable(found(level, id, false), messageId);
        throttle.reserveWebhookSend(id); // as for a test event: outside the transaction, once the caller may replay
        return write(caller, level, () -> {
            WebhookEndpoint endpoint = found(level, id, false);
            checkReplayable(endpoint, messageId);
            events.redeliver(messageId, endpoint.id());
            record(caller, level, "webhook_message.replayed", id, "message=" + messageId);
            return messageId;
        });
    }

    private static void checkTestable(WebhookEndpoint endpoint) {
        if (!endpoint.enabled()) {
            throw new ConflictException("The webhook endpoint " + endpoint.id() + " is disabled: enable it to send it events.");
        }
    }

    private void checkReplayable(WebhookEndpoint endpoint, String messageId) {
        // only a message this endpoint was sent: never another organization's, whatever id is guessed
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches() || !deliveries.wasSent(endpoint.id(), messageId)) {
            throw new NotFoundException("No message " + messageId + " sent to the webhook endpoint " + endpoint.id() + ".");
        }
        if (!endpoint.enabled()) {
            throw new ConflictException("The webhook endpoint " + endpoint.id() + " is disabled: enable it to replay messages.");
        }
    }

    @Override
    public EndpointSecrets revealSecret(Caller caller, WebhookEndpointId id) {
        Optional<OrganizationId> level = level(caller);
        return write(caller, level, () -> {
            WebhookEndpoint endpoint = found(level, id, false);
            record(caller, level, "webhook_endpoint.secret_revealed", id, "");
            return secrets(endpoint, clock.instant());
        });
    }

    @Override
    public EndpointSecrets rotateSecret(Caller caller, WebhookEndpointId id) {
        Optional<OrganizationId> level = level(caller);
        Instant now = clock.instant();
        return write(caller, level, () -> {
            WebhookEndpoint rotated = found(level, id, true).rotateSecret(WebhookSecret.generate(), now);
            endpoints.update(rotated);
            record(caller, level, "webhook_endpoint.secret_rotated", id,
                    "previousSecretExpiresAt=" + rotated.previousSecretUntil().orElseThrow());
            return secrets(rotated, now);
        });
    }

    /** The secrets that sign now: the previous one only until its end. */
    private static EndpointSecrets secrets(WebhookEndpoint endpoint, Instant now) {
        boolean overlapping = endpoint.previousSecretUntil().filter(now::isBefore).isPresent();
        return new EndpointSecrets(endpoint.secret(), overlapping ? endpoint.previousSecret() : Optional.empty(),
                overlapping ? endpoint.previousSecretUntil() : Optional.empty());
    }

    /** Parses and checks a URL as deliveries will (https, public addresses), at creation and on every change. */
    private WebhookUrl checkedUrl(String text) {
        WebhookUrl url = WebhookUrl.parse(text);
        sender.check(url);
        return url;
    }

    private static EventFilter filter(List<String> types) {
        if (types == null) return EventFilter.ALL;
        if (types.size() > EventFilter.MAX_TYPES) { // before reading any: a client may send thousands
            throw new InvalidInputException("eventTypes", "at most " + EventFilter.MAX_TYPES + " types");
        }
        if (types.stream().anyMatch(Objects::isNull)) throw new InvalidInputException("eventTypes", "must not contain null");
        return new EventFilter(new HashSet<>(types));
    }

    /** Runs {@code parse}, collecting its field errors (so that one answer names every bad field); null on error. */
    private static <T> T field(List<FieldError> errors, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }
}
