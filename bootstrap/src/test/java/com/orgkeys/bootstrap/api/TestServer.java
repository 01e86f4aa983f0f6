package com.orgkeys.bootstrap.api;

import com.orgkeys.application.testing.RecordingMailer;
import com.orgkeys.bootstrap.Application;
import com.orgkeys.bootstrap.Config;
import com.orgkeys.http.server.Cookies;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.mail.SmtpMailer;
import com.orgkeys.persistence.testing.TestPostgres;

import com.orgkeys.application.mail.port.out.EmailVerificationMail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole application on a free loopback port, on a fresh real PostgreSQL database, with a clock the test can
 * move ahead and a mailer that keeps what it sends.
 */
public final class TestServer implements AutoCloseable {
    public final Application app;
    /** Null on the embedded PostgreSQL ({@link #startEmbedded}). */
    public final DatabaseUrl database;
    public final TestClock clock;
    public final RecordingMailer mailer;
    private final boolean baseUrlConfigured;

    private TestServer(Application app, DatabaseUrl database, TestClock clock, RecordingMailer mailer,
                       boolean baseUrlConfigured) {
        this.app = app;
        this.database = database;
        this.clock = clock;
        this.mailer = mailer;
        this.baseUrlConfigured = baseUrlConfigured;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    public static TestServer start(Map<String, String> extraEnv) {
        return startOn(TestPostgres.newDatabase(), extraEnv);
    }

    /** A second server on the same database, as a second process of one deployment would be. */
    public static TestServer startOn(DatabaseUrl database, Map<String, String> extraEnv) {
        return startOn(database, extraEnv, SmtpMailer.Tls.verified());
    }

    /** With SMTP_URL in {@code extraEnv}: mail goes to that server, its TLS checked as {@code smtpTls} says. */
    public static TestServer start(Map<String, String> extraEnv, SmtpMailer.Tls smtpTls) {
        return startOn(TestPostgres.newDatabase(), extraEnv, smtpTls);
    }

    /**
     * One recorder per database: the servers on one database are nodes of one deployment, and the mail outbox is
     * sent by whichever node claims it first (as one SMTP relay would receive it from either), so a test waiting for
     * a mail finds it whatever node sent it.
     */
    private static final Map<DatabaseUrl, RecordingMailer> MAILERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static TestServer startOn(DatabaseUrl database, Map<String, String> extraEnv, SmtpMailer.Tls smtpTls) {
        // The tests act as a proxy on loopback: each new user signs up from an address of its own (signUp).
        // No drain on close unless a test asks for one.
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATABASE_URL", TestPostgres.environmentValue(database), "TRUSTED_PROXIES", "127.0.0.1/32",
                "SHUTDOWN_DRAIN_SECONDS", "0"));
        env.putAll(extraEnv);
        TestClock clock = new TestClock();
        RecordingMailer mailer = MAILERS.computeIfAbsent(database, d -> new RecordingMailer());
        Application app = Application.start(Config.fromEnvironment(env),
                new Application.Dependencies(clock, mailer, smtpTls));
        return new TestServer(app, database, clock, mailer, env.containsKey("BASE_URL"));
    }

    /** The server on its embedded PostgreSQL in {@code dataDir}, as {@code java -jar} runs it without DATABASE_URL. */
    public static TestServer startEmbedded(java.nio.file.Path dataDir) {
        Map<String, String> env = Map.of("PORT", "0", "HOST", "127.0.0.1", "DATA_DIR", dataDir.toString(),
                "TRUSTED_PROXIES", "127.0.0.1/32");
        TestClock clock = new TestClock();
        RecordingMailer mailer = new RecordingMailer();
        Application app = Application.start(Config.fromEnvironment(env), new Application.Dependencies(clock, mailer));
        return new TestServer(app, null, clock, mailer, false);
    }

    /** Where the tests send their requests: plain http on loopback, whatever BASE_URL says. */
    public String origin() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The Origin a browser on this site sends: BASE_URL when one is configured, else where the tests connect. */
    public String browserOrigin() {
        return baseUrlConfigured ? app.origin().toString() : origin();
    }

    /** The session cookie's name for this server's public origin. */
    public String sessionCookieName() {
        return Cookies.forOrigin(app.origin()).session();
    }

    public Api anonymous() {
        return new Api(this);
    }

    private final java.util.concurrent.atomic.AtomicInteger signUps = new java.util.concurrent.atomic.AtomicInteger();

    /** The 6-digit code of the newest verification mail to an address, waiting for it to arrive. */
    @FunctionalInterface
    public interface VerificationMails {
        String code(String email);
    }

    /** By default the recording mailer; a server sending through SMTP reads the mail where it went. */
    private volatile VerificationMails verificationMails = email -> awaitRecordedVerification(email).code();

    /** Where {@link #signUp} reads the verification mail from (GreenMail, for a server with SMTP_URL). */
    public TestServer readingVerificationMailsWith(VerificationMails mails) {
        this.verificationMails = mails;
        return this;
    }

    /** The newest verification mail to {@code email} in the recording mailer, waiting up to 20 s for one. */
    public EmailVerificationMail awaitRecordedVerification(String email) {
        mailer.await(EmailVerificationMail.class, m -> m.to().value().equals(email), Duration.ofSeconds(20));
        return mailer.sent().stream().filter(EmailVerificationMail.class::isInstance).map(EmailVerificationMail.class::cast)
                .filter(m -> m.to().value().equals(email)).reduce((first, last) -> last).orElseThrow();
    }

    /**
     * A new user, signed up and signed in, who verified their email as its owner would: with the code from the
     * verification mail. Each signs up from an address of its own, as users do: the sign-up limit per address is not
     * what most tests are about. Later requests come from loopback.
     */
    public Api signUp(String email) {
        Api api = signUpUnverified(email);
        verifyEmail(api, email);
        return api;
    }

    /** Verifies the email of the user signed in as {@code api} with the code of the newest mail to {@code email}. */
    public void verifyEmail(Api api, String email) {
        var verified = api.post("/api/auth/verify-email", Map.of("code", verificationMails.code(email)));
        if (verified.status() != 204) throw new AssertionError("email verification failed: " + verified);
    }

    /** A new user, signed up and signed in, whose email is not verified: no invitations, no API keys yet. */
    public Api signUpUnverified(String email) {
        int n = signUps.incrementAndGet();
        Api api = new Api(this).forwardedFor("198.18." + (n / 250 % 250) + "." + (n % 250 + 1));
        var response = api.post("/api/auth/sign-up", Map.of("email", email, "password", "correct horse battery " + email,
                "name", email.substring(0, email.indexOf('@'))));
        if (response.status() != 201) throw new AssertionError("sign-up failed: " + response);
        return api.sessionCookie().map(new Api(this)::withSessionCookie).orElseThrow();
    }

    @Override
    public void close() {
        app.close();
    }
}
