package com.orgkeys.domain.caller;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.caller.Actor.ApiKeyActor;
import com.orgkeys.domain.caller.Actor.UserActor;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ActorTest {
    private static final UUID ID = UUID.fromString("0b9c6c1e-6f1a-4a57-9f3e-2d4b8f0f6a11");

    @Test
    void the_stored_form_is_the_kind_and_the_id_and_reads_back_as_the_same_actor() {
        Actor user = new UserActor(new UserId(ID));
        Actor key = new ApiKeyActor(new ApiKeyId(ID));

        assertEquals("user:" + ID, user.value());
        assertEquals("api_key:" + ID, key.value());
        assertEquals(user.value(), user.toString());
        assertEquals(user, Actor.of(user.value()));
        assertEquals(key, Actor.of(key.value()));
        Actor backend = new Actor.SecretKeyActor(new com.orgkeys.domain.secretkey.SecretKeyId(ID));
        assertEquals("secret_key:" + ID, backend.value());
        assertEquals(backend, Actor.of(backend.value()));
    }

    @Test
    void anything_else_is_no_actor() {
        assertThrows(IllegalArgumentException.class, () -> Actor.of("system"));
        assertThrows(IllegalArgumentException.class, () -> Actor.of("user:not-a-uuid"));
        assertThrows(IllegalArgumentException.class, () -> Actor.of("api_key:"));
    }
}
