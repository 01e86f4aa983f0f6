package com.orgkeys.domain.caller;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.util.Objects;
import java.util.UUID;

/** Who did something (created a key or an agent, caused an audit event): a user or an API key. */
public sealed interface Actor permits Actor.UserActor, Actor.ApiKeyActor {
    /** The stored form, "user:&lt;id&gt;" or "api_key:&lt;id&gt;". */
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
}
