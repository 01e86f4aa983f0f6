package com.orgkeys.http.shared;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.Actor.ApiKeyActor;
import com.orgkeys.domain.caller.Actor.LeakReportActor;
import com.orgkeys.domain.caller.Actor.SecretKeyActor;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.orgkeys.domain.metadata.Metadata;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;

import java.time.Instant;
import java.util.Map;
import java.util.Collection;
import java.util.List;

/** The JSON shapes of the API, one record per object kind, built from domain objects. */
public final class JsonBodies {
    private JsonBodies() {
    }

    public record UserJson(String id, String email, String name) {
        public static UserJson of(User user) {
            return new UserJson(user.id().toString(), user.email().value(), user.name());
        }
    }

    /**
     * {@code publicMetadata}: the organization's public metadata, only where the organization is read on its own
     * ({@code GET /api/organization}); absent elsewhere. Its private metadata is never in a member's view.
     */
    public record OrganizationJson(String id, String name, String slug, Instant createdAt, boolean twoFactorRequired,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> publicMetadata) {
        public static OrganizationJson of(Organization o) {
            return new OrganizationJson(o.id().toString(), o.name(), o.slug().value(), o.createdAt(),
                    o.twoFactorRequired(), null);
        }

        public static OrganizationJson of(Organization o, Metadata publicMetadata) {
            return new OrganizationJson(o.id().toString(), o.name(), o.slug().value(), o.createdAt(),
                    o.twoFactorRequired(), publicMetadata.values());
        }
    }

    public record MemberJson(String userId, String email, String name, String role, Instant joinedAt,
                             boolean twoFactorEnabled) {
        public static MemberJson of(Member m) {
            return new MemberJson(m.userId().toString(), m.email().value(), m.name(), m.role().value(), m.joinedAt(),
                    m.twoFactorEnabled());
        }
    }

    public record RoleJson(String key, String name, List<String> permissions, boolean builtIn) {
        public static RoleJson of(Role r) {
            return new RoleJson(r.key().value(), r.name(), JsonBodies.permissions(r.permissions()), r.builtIn());
        }
    }

    /** A page: the count is exact up to 10,000 rows ({@code totalCountExact}); a cursor is null where no page is. */
    public record PageJson<T>(List<T> data, long totalCount, boolean totalCountExact, String nextCursor,
                              String previousCursor) {
        public static <T> PageJson<T> of(Page<T> page) {
            return new PageJson<>(page.data(), page.totalCount(), page.totalCountExact(),
                    page.nextCursor().map(Cursor::encode).orElse(null),
                    page.previousCursor().map(Cursor::encode).orElse(null));
        }
    }

    public record ListJson<T>(List<T> data) {
    }

    public static List<String> permissions(Collection<Permission> permissions) {
        return Permission.ALL.stream().filter(permissions::contains).map(Permission::value).toList();
    }

    /** The id of an actor (a user's, an API key's or a secret key's; "leak_report" for a leak report), as the API shows it. */
    public static String actorId(Actor actor) {
        return switch (actor) {
            case UserActor user -> user.userId().toString();
            case ApiKeyActor key -> key.keyId().toString();
            case SecretKeyActor key -> key.keyId().toString();
            case LeakReportActor report -> report.value();
        };
    }
}
