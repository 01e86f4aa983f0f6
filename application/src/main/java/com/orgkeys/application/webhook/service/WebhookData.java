package com.orgkeys.application.webhook.service;

import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.membership.Permission;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data} of webhook events: the objects in the backend API's (/v1, Clerk's) shapes, times in epoch
 * milliseconds, never a secret. Built here because the /v1 JSON records live in the HTTP adapter; the HTTP tests
 * compare the two.
 */
public final class WebhookData {
    private WebhookData() {
    }

    /** Clerk's APIKey resource as {@code GET /v1/api_keys/{id}} answers it, without a secret. */
    public static Map<String, Object> apiKey(ApiKey k, ApiKeyStatus status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "api_key");
        data.put("id", k.id().toString());
        data.put("type", "api_key");
        data.put("name", k.name());
        data.put("subject", k.organizationId().toString());
        data.put("scopes", Permission.ALL.stream().filter(k.scopes()::contains).map(Permission::value).toList());
        data.put("claims", null);
        data.put("revoked", status == ApiKeyStatus.REVOKED);
        data.put("revocation_reason", k.revocationReason().orElse(null));
        data.put("expired", status == ApiKeyStatus.EXPIRED);
        data.put("disabled", status == ApiKeyStatus.DISABLED);
        data.put("expiration", k.expiresAt().map(Instant::toEpochMilli).orElse(null));
        data.put("created_by", k.createdBy().value());
        data.put("description", k.description().isEmpty() ? null : k.description());
        data.put("last_used_at", k.lastUsedAt().map(Instant::toEpochMilli).orElse(null));
        data.put("created_at", k.createdAt().toEpochMilli());
        data.put("updated_at", k.updatedAt().toEpochMilli());
        return data;
    }
}
