package com.orgkeys.bootstrap;

import com.orgkeys.application.secretkey.port.in.ManageSecretKeysUseCase;
import com.orgkeys.application.secretkey.service.SecretKeyService;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.shared.DomainException;
import com.orgkeys.persistence.database.DataDirectory;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secretkey.JdbcSecretKeyRepository;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code java -jar orgkeys.jar secret-keys create --name NAME | list | revoke ID}: the instance's backend secret keys,
 * in the configured database (DATABASE_URL, or the embedded one in DATA_DIR, which the server must not be using:
 * the data directory's lock refuses a second process). Exit 0 done, 1 failed, 2 bad arguments.
 */
final class SecretKeysCommand {
    static final String USAGE = "usage: java -jar orgkeys.jar secret-keys create --name NAME | list | revoke ID";

    /** A parsed command line, checked before any database is touched. */
    sealed interface Command permits Create, ListKeys, Revoke {
    }

    record Create(String name) implements Command {
    }

    record ListKeys() implements Command {
    }

    record Revoke(SecretKeyId id) implements Command {
    }

    private SecretKeysCommand() {
    }

    /** The command, or null when the arguments (after "secret-keys") are not one. */
    static Command parse(List<String> args) {
        if (args.size() == 3 && args.get(0).equals("create") && args.get(1).equals("--name") && !args.get(2).isBlank()) {
            return new Create(args.get(2));
        }
        if (args.size() == 1 && args.get(0).equals("list")) return new ListKeys();
        if (args.size() == 2 && args.get(0).equals("revoke")) {
            try {
                return new Revoke(new SecretKeyId(UUID.fromString(args.get(1))));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** Runs {@code command} against {@code config}'s database; the exit code. */
    static int run(Config config, Command command, PrintStream out, PrintStream err) {
        try {
            return withService(config, keys -> run(keys, command, out));
        } catch (StartupException e) { // e.g. the server holds the embedded database's DATA_DIR
            err.println("orgkeys: " + e.getMessage());
            return 2;
        } catch (DomainException e) {
            err.println("orgkeys: secret-keys: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("orgkeys: secret-keys failed: " + e.getMessage());
            return 1;
        }
    }

    static int run(ManageSecretKeysUseCase keys, Command command, PrintStream out) {
        String operator = "cli:" + System.getProperty("user.name", "unknown");
        switch (command) {
            case Create create -> {
                var created = keys.createSecretKey(operator, create.name());
                out.println(created.secret());
                System.err.println("Created secret key " + created.key().id() + " (" + created.key().name()
                        + "). The secret above is shown only this once: keep it in your backend's secret store.");
            }
            case ListKeys list -> {
                for (SecretKey key : keys.listSecretKeys()) {
                    out.println(key.id() + "\t" + key.hint() + "\t" + (key.revoked() ? "revoked" : "active") + "\t"
                            + key.createdAt() + "\t" + key.name());
                }
            }
            case Revoke revoke -> {
                SecretKey key = keys.revokeSecretKey(operator, revoke.id());
                out.println("Revoked secret key " + key.id() + " (" + key.name() + ") at " + key.revokedAt().orElseThrow());
            }
        }
        return 0;
    }

    private static int withService(Config config, Function<ManageSecretKeysUseCase, Integer> work) {
        if (config.databaseUrl().isPresent()) return withService(config.databaseUrl().get(), work);
        // The embedded database runs inside orgkeys: with orgkeys stopped, this takes its place for a moment.
        try (DataDirectory directory = Application.lock(config.dataDir());
             EmbeddedDatabase postgres = Application.startEmbedded(directory)) {
            return withService(postgres.url(), work);
        }
    }

    private static int withService(DatabaseUrl url, Function<ManageSecretKeysUseCase, Integer> work) {
        try (Database database = Database.connect(url, 2)) {
            Jdbc jdbc = new Jdbc(database.dataSource());
            return work.apply(new SecretKeyService(new JdbcSecretKeyRepository(jdbc), jdbc, Clock.systemUTC()));
        }
    }
}
