package com.orgkeys.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar orgkeys.jar}: read the configuration, start, and stop cleanly on SIGTERM/SIGINT.
 * {@code java -jar orgkeys.jar rotate-secrets}: replace the server secrets in the configured database, and exit.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (Config.InvalidConfigException e) {
            System.err.println("orgkeys: invalid configuration:");
            e.problems().forEach(p -> System.err.println("  " + p));
            System.exit(2);
            return;
        }
        LoggerContext logging = configureLogging(config.logLevel());
        if (args.length == 1 && args[0].equals("rotate-secrets")) {
            System.exit(rotateSecrets(config, logging));
            return;
        }
        FatalErrors.install(logging::stop);
        Application application;
        try {
            application = Application.start(config, Application.Dependencies.system());
        } catch (StartupException e) {
            logging.stop();
            System.err.println("orgkeys: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Main.class).error("orgkeys could not start: {}", e.getMessage(), e);
            logging.stop();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            application.close();
            LoggerFactory.getLogger(Main.class).info("orgkeys stopped");
            logging.stop(); // last: writes out every queued line (logback.xml's AsyncAppender)
        }, "orgkeys-shutdown"));
    }

    private static int rotateSecrets(Config config, LoggerContext logging) {
        try {
            for (var secret : RotateSecrets.rotate(config)) {
                System.err.println("orgkeys: the " + secret.purpose().value() + " secret is now version "
                        + secret.version() + "; the version before it still verifies, older ones are deleted");
            }
            return 0;
        } catch (StartupException e) {
            System.err.println("orgkeys: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("orgkeys: rotate-secrets failed: " + e.getMessage());
            return 1;
        } finally {
            logging.stop();
        }
    }

    /**
     * logback.xml (in the jar) says where lines go and how; LOG_LEVEL, read and validated by {@link Config}, sets
     * the root level. Stopping the returned context writes out what is still queued.
     */
    static LoggerContext configureLogging(String level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level));
        return context;
    }
}
