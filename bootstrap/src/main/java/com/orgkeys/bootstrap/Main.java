package com.orgkeys.bootstrap;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code java -jar orgkeys.jar}: read the configuration, start, and stop cleanly on SIGTERM/SIGINT. */
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
        BatchedOutput log = configureLogging(config.logLevel());
        Application application;
        try {
            application = Application.start(config);
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

    /**
     * slf4j-simple reads its settings once, from system properties, before the first logger is made. Log lines
     * go to standard output through a 64 KiB buffer written out every 200 ms and at exit. slf4j-simple flushes
     * after every line, under one global lock: honouring that would cost a write call per request, taken by
     * every request thread in turn (a third of the throughput of a cheap request), so its flushes are ignored.
     */
    static BatchedOutput configureLogging(String level) {
        BatchedOutput buffered = new BatchedOutput(new FileOutputStream(FileDescriptor.out));
        System.setOut(buffered);
        Thread.ofPlatform().daemon().name("log-flush").start(() -> {
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                buffered.writeOut();
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
        return buffered;
    }

    /** A buffered stream whose {@link #flush()} is a no-op; {@link #writeOut()} is the real flush. */
    static final class BatchedOutput extends PrintStream {
        BatchedOutput(OutputStream target) {
            super(new BufferedOutputStream(target, 1 << 16), false, StandardCharsets.UTF_8);
        }

        @Override
        public void flush() {
            // ignored: see configureLogging
        }

        void writeOut() {
            super.flush();
        }
    }
}
