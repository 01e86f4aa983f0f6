package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a change of memberships, roles or users does to user-owned API keys, called by those use cases inside their
 * transaction (so it commits, or not, with the change): a user who leaves an organization or is deleted has their
 * keys revoked (audited, and told to webhook endpoints as {@code apiKey.revoked}); one whose permissions change has their keys forgotten by verification on every node, which
 * reads them again, with the permissions as they are now, when next used. Each method returns the secret hashes that
 * this process is to forget once the transaction has committed ({@link #forgetHere}); other processes hear it from
 * the revocation feed.
 */
public final class OwnedApiKeys {
    /** The revocation reasons, as stored and shown. */
    public static final String OWNER_LEFT = "owner_left", OWNER_DELETED = "owner_deleted";

    private final ApiKeyRepository keys;
    private final Audit audit;
    private final Clock clock;
    private final RevocationListener here;
    private final WebhookEvents webhooks;

    /** @param here this process's verification (the feed tells the others) */
    public OwnedApiKeys(ApiKeyRepository keys, Audit audit, Clock clock, RevocationListener here) {
        this(keys, audit, clock, here, WebhookEvents.NONE);
    }

    /** @param webhooks told of each revoked key ({@code apiKey.revoked}), in the change's transaction */
    public OwnedApiKeys(ApiKeyRepository keys, Audit audit, Clock clock, RevocationListener here, WebhookEvents webhooks) {
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.here = here;
        this.webhooks = webhooks;
    }

    /** {@code user} leaves {@code organization} (left, or was removed): their keys there stop for good. */
    public List<String> ownerLeft(Caller caller, OrganizationId organization, UserId user) {
        Instant now = clock.instant();
        return revoked(caller, keys.revokeOwnedBy(user, Optional.of(organization), OWNER_LEFT, now), now);
    }

    /** {@code user} is deleted: their keys in every organization stop for good. */
    public List<String> ownerDeleted(Caller caller, UserId user) {
        Instant now = clock.instant();
        return revoked(caller, keys.revokeOwnedBy(user, Optional.empty(), OWNER_DELETED, now), now);
    }

    /** {@code user}'s role in {@code organization} changed. */
    public List<String> ownerPermissionsChanged(OrganizationId organization, UserId user) {
        return keys.forgetOwnedBy(organization, user);
    }

    /** The permissions of {@code role} in {@code organization} changed: its holders' keys change with them. */
    public List<String> rolePermissionsChanged(OrganizationId organization, RoleKey role) {
        return keys.forgetOwnedByHoldersOf(organization, role);
    }

    /** {@code organization} turned its two-factor requirement on or off: its members' keys follow their sessions. */
    public List<String> twoFactorPolicyChanged(OrganizationId organization) {
        return keys.forgetOwnedIn(organization);
    }

    /** {@code user} enabled or removed a second factor: their keys, held back or no longer, follow their sessions. */
    public List<String> ownerFactorsChanged(UserId user) {
        return keys.forgetAllOwnedBy(user);
    }

    /** After the commit, so that no verification here can read a key again as it was before the change. */
    public void forgetHere(List<String> secretHashes) {
        secretHashes.forEach(here::keyRevoked);
    }

    private List<String> revoked(Caller caller, List<ApiKey> revoked, Instant now) {
        List<String> hashes = new ArrayList<>();
        for (ApiKey key : revoked) {
            audit.record(caller, key.organizationId(), "api_key.revoked", key.id().toString(), "name=" + key.name()
                    + " reason=" + key.revocationReason().orElse("") + " owner=user:" + key.owner().orElseThrow());
            webhooks.record(Optional.of(key.organizationId()), "apiKey.revoked", WebhookData.apiKey(key, key.statusAt(now)));
            hashes.addAll(key.secretHashes());
        }
        return hashes;
    }
}
