package com.orgkeys.bootstrap.api;

import com.orgkeys.application.testing.RecordingMailer;
import com.orgkeys.bootstrap.Application;
import com.orgkeys.bootstrap.Config;
import com.orgkeys.http.server.Cookies;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.mail.SmtpMailer;
import com.orgkeys.persistence.testing.TestPostgres;

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

    private static TestServer startOn(DatabaseUrl database, Map<String, String> extraEnv, SmtpMailer.Tls smtpTls) {
        // The tests act as a proxy on loopback: each new user signs up from an address of its own (signUp).
        // No drain on close unless a test asks for one.
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATABASE_URL", TestPostgres.environmentValue(database), "TRUSTED_PROXIES", "127.0.0.1/32",
                "SHUTDOWN_DRAIN_SECONDS", "0"));
        env.putAll(extraEnv);
        TestClock clock = new TestClock();
        RecordingMailer mailer = new RecordingMailer();
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

    /**
     * A new user, signed up and signed in. Each signs up from an address of its own, as users do: the sign-up
     * limit per address is not what most tests are about. Later requests come from loopback.
     */
    public Api signUp(String email) {
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
