package com.orgkeys.application.webhook.service;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
        data.put("subject", k.owner().map(Object::toString).orElse(k.organizationId().toString()));
        data.put("organization_id", k.organizationId().toString());
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

    /**
     * Clerk's Organization as {@code GET /v1/organizations/{id}} answers it, except {@code private_metadata}, always
     * {@code {}} here: it is the backend's alone, and an organization's own endpoints are its admins'.
     */
    public static Map<String, Object> organization(Organization o, OrganizationMetadata metadata) {
        long created = o.createdAt().toEpochMilli();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "organization");
        data.put("id", o.id().toString());
        data.put("name", o.name());
        data.put("slug", o.slug().value());
        data.put("image_url", "");
        data.put("has_image", false);
        data.put("created_at", created);
        data.put("updated_at", created);
        data.put("public_metadata", metadata.publicMetadata().values());
        data.put("private_metadata", Map.of());
        data.put("max_allowed_memberships", 0);
        data.put("admin_delete_enabled", true);
        data.put("members_count", null);
        data.put("created_by", null);
        return data;
    }

    /** Clerk's DeletedObject for an organization, what {@code organization.deleted} carries. */
    public static Map<String, Object> deletedOrganization(Organization o) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "organization");
        data.put("id", o.id().toString());
        data.put("slug", o.slug().value());
        data.put("deleted", true);
        return data;
    }

    /** Clerk's OrganizationMembership as the backend API's membership routes answer it. */
    public static Map<String, Object> membership(Member m, Organization o, OrganizationMetadata metadata,
                                                 Set<Permission> permissions) {
        long joined = m.joinedAt().toEpochMilli();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("identifier", m.email().value());
        user.put("first_name", m.name());
        user.put("last_name", null);
        user.put("image_url", "");
        user.put("has_image", false);
        user.put("user_id", m.userId().toString());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "organization_membership");
        data.put("id", o.id() + "_" + m.userId());
        data.put("role", m.role().value());
        data.put("permissions", Permission.ALL.stream().filter(permissions::contains).map(Permission::value).toList());
        data.put("public_metadata", Map.of());
        data.put("private_metadata", Map.of());
        data.put("created_at", joined);
        data.put("updated_at", joined);
        data.put("organization", organization(o, metadata));
        data.put("public_user_data", user);
        return data;
    }

    /**
     * Clerk's OrganizationInvitation ({@code status} pending, accepted or revoked); never its token (the accept link
     * is a bearer credential, mailed to the invited address only).
     */
    public static Map<String, Object> invitation(Invitation i, Instant updatedAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "organization_invitation");
        data.put("id", i.id().toString());
        data.put("email_address", i.email().value());
        data.put("role", i.role().value());
        data.put("organization_id", i.organizationId().toString());
        data.put("status", i.revokedAt().isPresent() ? "revoked" : i.acceptedAt().isPresent() ? "accepted" : "pending");
        data.put("public_metadata", Map.of());
        data.put("private_metadata", Map.of());
        data.put("created_at", i.createdAt().toEpochMilli());
        data.put("updated_at", updatedAt.toEpochMilli());
        data.put("expires_at", i.expiresAt().toEpochMilli());
        return data;
    }

    /**
     * Clerk's User as {@code GET /v1/users/{id}} answers it (its metadata too: user events go to instance-level
     * endpoints only, which the backend manages); never the password hash, a factor or a token.
     */
    public static Map<String, Object> user(UserProfile profile) {
        User user = profile.user();
        String emailId = emailAddressId(user.id());
        Map<String, Object> verification = new LinkedHashMap<>();
        verification.put("object", "verification");
        verification.put("status", user.emailVerified() ? "verified" : "unverified");
        verification.put("strategy", user.emailVerified() ? "email_link" : null);
        verification.put("attempts", null);
        verification.put("expire_at", null);
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("id", emailId);
        email.put("object", "email_address");
        email.put("email_address", user.email().value());
        email.put("reserved", false);
        email.put("verification", verification);
        email.put("linked_to", List.of());
        long created = user.createdAt().toEpochMilli();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "user");
        data.put("id", user.id().toString());
        data.put("external_id", null);
        data.put("primary_email_address_id", emailId);
        data.put("primary_phone_number_id", null);
        data.put("primary_web3_wallet_id", null);
        data.put("username", null);
        data.put("first_name", user.name());
        data.put("last_name", null);
        data.put("image_url", "");
        data.put("has_image", false);
        data.put("public_metadata", profile.metadata().publicMetadata().values());
        data.put("private_metadata", profile.metadata().privateMetadata().values());
        data.put("unsafe_metadata", profile.metadata().unsafeMetadata().values());
        data.put("email_addresses", List.of(email));
        data.put("phone_numbers", List.of());
        data.put("web3_wallets", List.of());
        data.put("external_accounts", List.of());
        data.put("enterprise_accounts", List.of());
        data.put("password_enabled", true);
        data.put("banned", false);
        data.put("locked", false);
        data.put("last_sign_in_at", profile.lastSignInAt().map(Instant::toEpochMilli).orElse(null));
        data.put("last_active_at", profile.lastActiveAt().map(Instant::toEpochMilli).orElse(null));
        data.put("created_at", created);
        data.put("updated_at", created);
        data.put("delete_self_enabled", false);
        data.put("create_organization_enabled", true);
        return data;
    }

    /** The stable id of an account's one email address, as the backend API derives it (Clerk ids each address). */
    public static String emailAddressId(UserId user) {
        return UUID.nameUUIDFromBytes(("email_address:" + user).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Clerk's DeletedObject for a user, what {@code user.deleted} carries. */
    public static Map<String, Object> deletedUser(UserId id) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "user");
        data.put("id", id.toString());
        data.put("deleted", true);
        return data;
    }

    /** Clerk's Session as {@code GET /v1/sessions/{id}} answers it: its public id, never its cookie or the cookie's hash. */
    public static Map<String, Object> session(Session s, Instant now) {
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("object", "session_activity");
        activity.put("id", s.id().toString());
        activity.put("ip_address", s.clientAddress().isEmpty() ? null : s.clientAddress());
        activity.put("browser_name", s.userAgent().isEmpty() ? null : s.userAgent());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", "session");
        data.put("id", s.id().toString());
        data.put("client_id", null);
        data.put("user_id", s.userId().toString());
        data.put("status", s.status(now).name().toLowerCase(Locale.ROOT));
        data.put("last_active_at", s.lastActiveAt().toEpochMilli());
        data.put("expire_at", s.expiresAt().toEpochMilli());
        data.put("abandon_at", s.createdAt().plus(Session.ABSOLUTE_LIFETIME).toEpochMilli());
        data.put("created_at", s.createdAt().toEpochMilli());
        data.put("updated_at", s.revokedAt().orElse(s.lastActiveAt()).toEpochMilli());
        data.put("last_active_organization_id", s.activeOrganization().map(Object::toString).orElse(null));
        data.put("latest_activity", activity);
        data.put("actor", null);
        return data;
    }
}
