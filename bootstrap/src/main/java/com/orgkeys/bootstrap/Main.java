package com.orgkeys.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code java -jar orgkeys.jar}: read the configuration, start, and stop cleanly on SIGTERM/SIGINT.
 * {@code java -jar orgkeys.jar rotate-secrets}: replace the server secrets in the configured database, and exit.
 * {@code java -jar orgkeys.jar rotate-signing-keys}: add the next session-token signing key, and exit.
 */
public final class Main {
    private Main() {
    }

    /**
     * The largest temporary direct buffer a thread keeps for NIO writes of heap buffers (the JDK keeps any size
     * by default): unpacking the embedded PostgreSQL left ~29 MB of them on the main thread for good.
     */
    static final String MAX_CACHED_NIO_BUFFER = "262144";

    public static void main(String[] args) {
        // before anything uses NIO channels (the JDK reads it once); a -D on the command line wins
        if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
            System.setProperty("jdk.nio.maxCachedBufferSize", MAX_CACHED_NIO_BUFFER);
        }
        // a mistyped subcommand must not start a server against the configured database
        SecretKeysCommand.Command secretKeys = null;
        if (args.length >= 1 && args[0].equals("secret-keys")) {
            secretKeys = SecretKeysCommand.parse(java.util.List.of(args).subList(1, args.length));
            if (secretKeys == null) {
                System.err.println("orgkeys: bad arguments " + String.join(" ", args) + "; " + SecretKeysCommand.USAGE);
                System.exit(2);
                return;
            }
        } else if (args.length > 1 || (args.length == 1 && !args[0].equals("rotate-secrets")
                && !args[0].equals("rotate-signing-keys"))) {
            System.err.println("orgkeys: unknown arguments " + String.join(" ", args)
                    + "; usage: java -jar orgkeys.jar [rotate-secrets | rotate-signing-keys | secret-keys ...]; " + SecretKeysCommand.USAGE);
            System.exit(2);
            return;
        }
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (Config.InvalidConfigException e) {
            System.err.println("orgkeys: invalid configuration:");
            e.problems().forEach(p -> System.err.println("  " + p));
            System.exit(2);
            return;
        }
        LogOutput log = configureLogging(config.logLevel());
        if (secretKeys != null) {
            int code = SecretKeysCommand.run(config, secretKeys, System.out, System.err);
            log.writeOut();
            System.exit(code);
            return;
        }
        if (args.length == 1) {
            System.exit(args[0].equals("rotate-signing-keys") ? rotateSigningKeys(config, log) : rotateSecrets(config, log));
            return;
        }
        FatalErrors.install(log::writeOut);
        Application application;
        try {
            application = Application.start(config, Application.Dependencies.system());
        } catch (StartupException e) {
            log.writeOut();
            System.err.println("orgkeys: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).error("orgkeys could not start: {}", e.getMessage(), e);
            log.writeOut();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            application.close();
            org.slf4j.LoggerFactory.getLogger(Main.class).info("orgkeys stopped");
            log.writeOut();
        }, "orgkeys-shutdown"));
    }

    private static int rotateSecrets(Config config, LogOutput log) {
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
            log.writeOut();
        }
    }

    private static int rotateSigningKeys(Config config, LogOutput log) {
        try {
            var key = RotateSigningKeys.rotate(config);
            System.err.println("orgkeys: signing key " + key.generation() + " (kid " + key.kid() + ") is in the JWKS now"
                    + " and signs session tokens from " + key.signsFrom() + (key.generation() == 1 ? ""
                    : "; the key before it stays in the JWKS until the tokens it signed have expired"));
            return 0;
        } catch (StartupException e) {
            System.err.println("orgkeys: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("orgkeys: rotate-signing-keys failed: " + e.getMessage());
            return 1;
        } finally {
            log.writeOut();
        }
    }

    /**
     * slf4j-simple reads its settings once, from system properties, before the first logger is made. Its lines
     * go to standard output through {@link LogOutput}: written out every 200 ms and at exit, never by the thread
     * that logs.
     */
    static LogOutput configureLogging(String level) {
        LogOutput out = new LogOutput(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("log-flush").start(() -> {
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                out.writeOut();
            }
        });
        Map.of("org.slf4j.simpleLogger.defaultLogLevel", level,
                        "org.slf4j.simpleLogger.showDateTime", "true",
                        "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
                        "org.slf4j.simpleLogger.logFile", "System.out",
                        "org.slf4j.simpleLogger.showThreadName", "false",
                        "org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn",
                        "org.slf4j.simpleLogger.log.org.flywaydb", "warn",
                        "org.slf4j.simpleLogger.log.io.zonky", "warn")
                .forEach(System::setProperty);
        return out;
    }

    /**
     * Where log lines go: a thread that logs only appends to memory, under a short lock; {@link #writeOut()} writes
     * outside it, so a request never waits on the disk, whose writes PostgreSQL's fsyncs can stall. Writers wait
     * only when {@link #MAX_PENDING} bytes are pending. {@link #flush()} does nothing: slf4j-simple would flush every
     * line, under one global lock.
     */
    static final class LogOutput extends OutputStream {
        static final int MAX_PENDING = 4 << 20;

        private final OutputStream target;
        private ByteArrayOutputStream pending = new ByteArrayOutputStream(1 << 16);
        private ByteArrayOutputStream spare = new ByteArrayOutputStream(1 << 16);
        private final Object writingOut = new Object();

        LogOutput(OutputStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            awaitRoom();
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            awaitRoom();
            pending.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            // nothing: see the class comment; writeOut() is the real flush
        }

        private void awaitRoom() {
            while (pending.size() >= MAX_PENDING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // the line is kept anyway: the limit is a brake, not a hard cap
                }
            }
        }

        /** Writes out everything logged so far (the log-flush thread, and at exit). */
        void writeOut() {
            synchronized (writingOut) {
                ByteArrayOutputStream full;
                synchronized (this) {
                    if (pending.size() == 0) return;
                    full = pending;
                    pending = spare;
                    spare = full;
                    notifyAll();
                }
                try {
                    full.writeTo(target);
                    target.flush();
                } catch (IOException e) {
                    // standard output is gone (closed pipe): nothing left to tell
                } finally {
                    full.reset();
                }
            }
        }
    }
}
