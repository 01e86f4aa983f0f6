package com.orgkeys.bootstrap;

import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.persistence.database.DataDirectory;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secret.JdbcServerSecrets;

import java.time.Clock;
import java.util.List;

/**
 * {@code java -jar orgkeys.jar rotate-secrets}: adds a new version of every server secret in the configured
 * database. Running nodes sign with it within a minute (at once when they meet it); forms signed before still
 * verify until the next rotation.
 */
final class RotateSecrets {
    private RotateSecrets() {
    }

    /** Rotates in {@code config}'s database (DATABASE_URL, or the embedded one in DATA_DIR, which must be stopped). */
    static List<ServerSecret> rotate(Config config) {
        if (config.databaseUrl().isPresent()) return rotate(config.databaseUrl().get());
        // The embedded database runs inside orgkeys: with orgkeys stopped, this takes its place for a moment.
        try (DataDirectory directory = Application.lock(config.dataDir());
             EmbeddedDatabase postgres = Application.startEmbedded(directory)) {
            return rotate(postgres.url());
        }
    }

    private static List<ServerSecret> rotate(DatabaseUrl url) {
        try (Database database = Database.connect(url, 2)) {
            Jdbc jdbc = new Jdbc(database.dataSource());
            return new ServerSecretService(new JdbcServerSecrets(jdbc), jdbc, Clock.systemUTC()).rotateSecrets();
        }
    }
}
