package com.orgkeys.bootstrap.api;

import com.orgkeys.application.secretkey.port.in.ManageSecretKeysUseCase;
import com.orgkeys.application.secretkey.service.SecretKeyService;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secretkey.JdbcSecretKeyRepository;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

/** Backend secret keys for tests, made and revoked in a test server's database as the jar's command does. */
public final class SecretKeys {
    public record Created(String id, String secret) {
    }

    private SecretKeys() {
    }

    public static Created create(TestServer server, String name) {
        return with(server, keys -> {
            var created = keys.createSecretKey("cli:test", name);
            return new Created(created.key().id().toString(), created.secret());
        });
    }

    /** Revoked from outside the server, as by the CLI: the server learns it through the revocation feed. */
    public static void revoke(TestServer server, String id) {
        with(server, keys -> keys.revokeSecretKey("cli:test", new SecretKeyId(UUID.fromString(id))));
    }

    private static <T> T with(TestServer server, Function<ManageSecretKeysUseCase, T> work) {
        try (Database database = Database.connect(server.database, 2)) {
            Jdbc jdbc = new Jdbc(database.dataSource());
            return work.apply(new SecretKeyService(new JdbcSecretKeyRepository(jdbc), jdbc, Clock.systemUTC()));
        }
    }
}
