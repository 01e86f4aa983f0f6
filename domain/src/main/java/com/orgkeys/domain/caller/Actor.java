package com.orgkeys.domain.caller;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.Objects;
import java.util.UUID;

/**
 * Who did something (created a key or an agent, caused an audit event): a user, an API key, a backend secret key,
 * or an anonymous leak report (someone who found a key's secret in public and reported it).
 */
public sealed interface Actor permits Actor.UserActor, Actor.ApiKeyActor, Actor.SecretKeyActor, Actor.LeakReportActor {
    /** The stored form, "user:&lt;id&gt;", "api_key:&lt;id&gt;", "secret_key:&lt;id&gt;" or "leak_report". */
    String value();

    /** Reads the stored form; anything else is an {@link IllegalArgumentException}. */
    static Actor of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.startsWith(UserActor.PREFIX)) {
            return new UserActor(new UserId(UUID.fromString(value.substring(UserActor.PREFIX.length()))));
        }
        if (value.startsWith(ApiKeyActor.PREFIX)) {
            return new ApiKeyActor(new ApiKeyId(UUID.fromString(value.substring(ApiKeyActor.PREFIX.length()))));
        }
        if (value.startsWith(SecretKeyActor.PREFIX)) {
            return new SecretKeyActor(new SecretKeyId(UUID.fromString(value.substring(SecretKeyActor.PREFIX.length()))));
        }
        if (value.equals(LeakReportActor.VALUE)) return LeakReportActor.INSTANCE;
        throw new IllegalArgumentException("not an actor: " + value);
    }

    record UserActor(UserId userId) implements Actor {
        static final String PREFIX = "user:";

        public UserActor {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public String value() {
            return PREFIX + userId;
        }

        @Override
        public String toString() {
            return value();
        }
    }

    record ApiKeyActor(ApiKeyId keyId) implements Actor {
        static final String PREFIX = "api_key:";

        public ApiKeyActor {
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public String value() {
            return PREFIX + keyId;
        }

        @Override
        public String toString() {
            return value();
        }
    }

    /** A backend secret key acting through the backend API ({@code /v1}). */
    record SecretKeyActor(SecretKeyId keyId) implements Actor {
        static final String PREFIX = "secret_key:";

        public SecretKeyActor {
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public String value() {
            return PREFIX + keyId;
        }

        @Override
        public String toString() {
            return value();
        }
    }

    /**
     * Whoever reported a key's secret as leaked ({@code POST /api/api-keys/leaked}): anonymous by design, as holding
     * the secret is the only proof asked, so every report is the same actor.
     */
    record LeakReportActor() implements Actor {
        static final String VALUE = "leak_report";
        public static final LeakReportActor INSTANCE = new LeakReportActor();

        @Override
        public String value() {
            return VALUE;
        }

        @Override
        public String toString() {
            return value();
        }
    }
}
