package com.orgkeys.bootstrap;

import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.sessiontoken.service.SessionTokenService;
import com.orgkeys.domain.sessiontoken.SigningKey;
import com.orgkeys.persistence.account.JdbcUserRepository;
import com.orgkeys.persistence.database.DataDirectory;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secret.JdbcServerSecrets;
import com.orgkeys.persistence.sessiontoken.JdbcSigningKeyRepository;
import com.orgkeys.persistence.sessiontoken.NimbusJwtSigner;
import com.orgkeys.persistence.twofactor.AesGcmSecretCipher;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code java -jar orgkeys.jar rotate-signing-keys}: adds the next session-token signing key in the configured
 * database. It is in the JWKS at once and signs {@link SessionTokenService#PUBLISH_AHEAD} later; the key before it
 * stays in the JWKS until the tokens it signed have expired. The row records {@code cli} as its maker.
 */
public final class RotateSigningKeys {
    private RotateSigningKeys() {
    }

    static SigningKey rotate(Config config) {
        // PostgreSQL keeps microseconds: the key printed is the key stored
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
        if (config.databaseUrl().isPresent()) return rotate(config.databaseUrl().get(), clock);
        try (DataDirectory directory = Application.lock(config.dataDir());
             EmbeddedDatabase postgres = Application.startEmbedded(directory)) {
            return rotate(postgres.url(), clock);
        }
    }

    /** In the database at {@code url}, at {@code clock}'s time (tests pass their server's clock). */
    public static SigningKey rotate(DatabaseUrl url, Clock clock) {
        try (Database database = Database.connect(url, 2)) {
            Jdbc jdbc = new Jdbc(database.dataSource());
            var serverSecrets = new ServerSecretService(new JdbcServerSecrets(jdbc), jdbc, clock);
            // the issuer does not matter here: this service signs nothing
            return new SessionTokenService(new JdbcSigningKeyRepository(jdbc), new NimbusJwtSigner(), serverSecrets,
                    new AesGcmSecretCipher(), new JdbcUserRepository(jdbc), clock, URI.create("http://localhost")).rotateSigningKeys("cli");
        }
    }
}
