package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.apikey.port.in.ReportLeakedApiKeyUseCase;
import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.LeakReportUrl;
import com.orgkeys.domain.caller.Actor.LeakReportActor;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.shared.Secrets;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Leak reports. Every report that passes the input check and the throttle does the same thing up to the lookup:
 * one query by the SHA-256 of the text as sent (a text that is not a key's secret, whatever its shape or checksum,
 * simply finds nothing), so the answer and its timing do not depend on the text being a key's. Only a hit on a key
 * not revoked yet writes: the revocation (which every node's verification cache hears at once through the
 * revocation feed), an audit event by the actor {@code leak_report}, and a mail to each admin, in one transaction.
 */
public final class LeakReportService implements ReportLeakedApiKeyUseCase {
    /** Who is told: the members whose role lets them manage keys (the built-in admins and any such custom role). */
    static final Permission ADMINISTERS_KEYS = Permission.API_KEYS_MANAGE;
    private static final int MEMBERS_PAGE = PageRequest.MAX_PAGE_SIZE;

    private final ApiKeyRepository keys;
    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final RoleRepository roles;
    private final AccountThrottle throttle;
    private final MailOutbox mails;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final RevocationListener localCache;
    private final WebhookEvents webhooks;

    /** @param localCache this process's verification cache, told after the commit (other nodes hear the feed) */
    public LeakReportService(ApiKeyRepository keys, OrganizationRepository organizations,
                             MembershipRepository memberships, RoleRepository roles, AccountThrottle throttle,
                             MailOutbox mails, Audit audit, TransactionRunner tx, Clock clock,
                             RevocationListener localCache) {
        this(keys, organizations, memberships, roles, throttle, mails, audit, tx, clock, localCache, WebhookEvents.NONE);
    }

    /** @param webhooks told of a key revoked by a report ({@code apiKey.revoked}), in the revocation's transaction */
    public LeakReportService(ApiKeyRepository keys, OrganizationRepository organizations,
                             MembershipRepository memberships, RoleRepository roles, AccountThrottle throttle,
                             MailOutbox mails, Audit audit, TransactionRunner tx, Clock clock,
                             RevocationListener localCache, WebhookEvents webhooks) {
        this.webhooks = java.util.Objects.requireNonNull(webhooks, "webhooks");
        this.keys = keys;
        this.organizations = organizations;
        this.memberships = memberships;
        this.roles = roles;
        this.throttle = throttle;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.localCache = localCache;
    }

    @Override
    public void reportLeak(ReportLeakCommand command) {
        // checks of the input alone, before anything is counted or looked up: they say nothing about any key
        List<FieldError> errors = new ArrayList<>();
        String secret = secretText(command.secret(), errors);
        Optional<LeakReportUrl> url = Optional.empty();
        if (command.url() != null) {
            try {
                url = Optional.of(new LeakReportUrl(command.url()));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        throttle.reserveLeakReport(command.clientAddress());

        String hash = Secrets.sha256(secret);
        Optional<LeakReportUrl> foundAt = url;
        Optional<ApiKey> revoked = tx.inTransaction(() -> {
            Optional<ApiKey> key = keys.findByHash(hash);
            if (key.isEmpty() || key.get().revokedAt().isPresent()) return Optional.<ApiKey>empty();
            Instant now = clock.instant();
            ApiKey leaked = key.get().revoke(Optional.of(REASON), now);
            // a concurrent revocation (another report, an admin) that committed first keeps its time and reason
            if (!keys.markRevoked(leaked)) return Optional.<ApiKey>empty();
            OrganizationId org = leaked.organizationId();
            audit.recordAs(LeakReportActor.INSTANCE, org, "api_key.revoked", leaked.id().toString(),
                    "name=" + leaked.name() + " reason=" + REASON + foundAt.map(u -> " url=" + u.value()).orElse(""),
                    command.clientAddress());
            tellAdmins(leaked, now, foundAt);
            webhooks.record(Optional.of(org), "apiKey.revoked", WebhookData.apiKey(leaked, leaked.statusAt(now)));
            return Optional.of(leaked);
        });
        // after the commit, so that no lookup can cache the key as it was before: this process stops at once
        revoked.ifPresent(key -> localCache.keyRevoked(key.secretHash()));
    }

    /** The secret as text: required, at most {@link ReportLeakCommand#MAX_SECRET_LENGTH} characters, no controls. */
    private static String secretText(String secret, List<FieldError> errors) {
        if (secret == null || secret.isBlank()) {
            errors.add(new FieldError("secret", "is required"));
            return "";
        }
        String stripped = secret.strip(); // as a scanner may capture it, with the line's end
        if (stripped.length() > ReportLeakCommand.MAX_SECRET_LENGTH) {
            errors.add(new FieldError("secret", "must be at most " + ReportLeakCommand.MAX_SECRET_LENGTH
                    + " characters (an API key's secret is " + com.orgkeys.domain.apikey.ApiKeySecret.LENGTH + ")"));
            return "";
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                errors.add(new FieldError("secret", "must not contain control characters"));
                return "";
            }
        }
        return stripped;
    }

    private void tellAdmins(ApiKey key, Instant revokedAt, Optional<LeakReportUrl> url) {
        Optional<Organization> organization = organizations.findById(key.organizationId());
        if (organization.isEmpty()) return; // deleted meanwhile: its keys go with it, and nobody is left to tell
        Set<RoleKey> administering = new LinkedHashSet<>();
        for (Role role : Role.BUILT_IN) if (role.permissions().contains(ADMINISTERS_KEYS)) administering.add(role.key());
        for (Role role : roles.list(key.organizationId())) {
            if (role.permissions().contains(ADMINISTERS_KEYS)) administering.add(role.key());
        }
        String foundAt = url.map(LeakReportUrl::value).orElse("");
        for (int page = 1; ; page++) {
            Page<Member> members = memberships.page(key.organizationId(), administering,
                    new PageRequest(page, MEMBERS_PAGE));
            for (Member admin : members.data()) {
                mails.enqueue(new ApiKeyLeakedMail(admin.email(), admin.name(), organization.get().name(),
                        key.id().toString(), key.name(), key.hint(), revokedAt, foundAt));
            }
            if (members.data().size() < MEMBERS_PAGE) break;
        }
    }
}
