package com.orgkeys.bootstrap.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mail of orgkeys processes run without SMTP_URL, read where their logging mailer wrote it: the logs the tests
 * send those processes' output to. Addresses are unique per test, so an older log never answers.
 */
public final class LoggedMails {
    /** Where the tests that start orgkeys processes keep their output. */
    public static final Path LOG_DIR = Path.of("target", "resilience-logs");

    private LoggedMails() {
    }

    /** The code of the newest verification mail to {@code email} in the logs, waiting up to 20 s for it. */
    public static String verificationCode(String email) {
        Pattern line = Pattern.compile("Email verification for " + Pattern.quote(email) + ": code ([0-9]{6})");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            Optional<String> code = newest(line);
            if (code.isPresent()) return code.get();
            if (Instant.now().isAfter(deadline)) throw new AssertionError("no verification mail to " + email + " in " + LOG_DIR);
            try {
                Thread.sleep(100); // a poll interval (the outbox worker sends within a second), not a wait for the result
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Optional<String> newest(Pattern line) {
        if (!Files.isDirectory(LOG_DIR)) return Optional.empty();
        String found = null;
        try (Stream<Path> logs = Files.list(LOG_DIR)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(log);
                } catch (java.nio.charset.MalformedInputException e) {
                    continue; // a line half written; read again on the next poll
                }
                for (String text : lines) {
                    Matcher matcher = line.matcher(text);
                    if (matcher.find()) found = matcher.group(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.ofNullable(found);
    }
}
