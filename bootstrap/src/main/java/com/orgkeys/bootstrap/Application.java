package com.orgkeys.bootstrap;

import com.orgkeys.application.account.service.AccountService;
import com.orgkeys.application.account.service.AccountWebhooks;
import com.orgkeys.application.account.service.AccountSettingsService;
import com.orgkeys.application.account.service.EmailSignInService;
import com.orgkeys.application.account.service.EmailChangeService;
import com.orgkeys.application.account.service.EmailVerificationService;
import com.orgkeys.application.account.service.EmailVerifications;
import com.orgkeys.application.account.service.VerifiedEmails;
import com.orgkeys.application.account.service.PasswordResetService;
import com.orgkeys.application.account.service.SecondFactorSignInService;
import com.orgkeys.application.twofactor.service.TotpSecretCipher;
import com.orgkeys.application.twofactor.service.TwoFactorNotices;
import com.orgkeys.application.twofactor.service.TwoFactorService;
import com.orgkeys.http.twofactor.TwoFactorRoutes;
import com.orgkeys.http.passkey.PasskeyRoutes;
import com.orgkeys.application.account.service.PasskeySignInService;
import com.orgkeys.application.passkey.service.PasskeyService;
import com.orgkeys.persistence.passkey.JdbcPasskeyRepository;
import com.orgkeys.persistence.passkey.YubicoWebAuthn;
import com.orgkeys.persistence.mail.MailTemplates;
import com.orgkeys.persistence.twofactor.AesGcmSecretCipher;
import com.orgkeys.persistence.twofactor.JdbcTwoFactorRepository;
import com.orgkeys.application.accounttoken.port.in.PurgeEndedTokensUseCase;
import com.orgkeys.application.accounttoken.service.AccountTokenService;
import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.apikey.service.LeakReportService;
import com.orgkeys.application.agent.service.AgentService;
import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.apikey.service.ApiKeyService;
import com.orgkeys.application.apikey.service.OwnedApiKeys;
import com.orgkeys.application.secretkey.service.SecretKeyAdminService;
import com.orgkeys.application.secretkey.service.SecretKeyService;
import com.orgkeys.domain.secretkey.InstanceAdmins;
import com.orgkeys.http.backend.BackendApiKeyRoutes;
import com.orgkeys.http.backend.BackendUserRoutes;
import com.orgkeys.http.account.AccountMetadataRoutes;
import com.orgkeys.application.account.service.UserAdministrationService;
import com.orgkeys.persistence.metadata.JacksonMetadataJson;
import com.orgkeys.http.backend.BackendOrganizationRoutes;
import com.orgkeys.persistence.secretkey.JdbcSecretKeyRepository;
import com.orgkeys.application.apikey.service.ApiKeyUsage;
import com.orgkeys.application.apikey.service.ApiKeyUsageService;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.audit.service.ExportAuditEventsService;
import com.orgkeys.application.audit.service.ListAuditEventsService;
import com.orgkeys.application.health.service.CheckReadinessService;
import com.orgkeys.application.mail.port.out.Mailer;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase;
import com.orgkeys.application.outbox.service.OutboxService;
import com.orgkeys.application.outbox.service.RetryPolicy;
import com.orgkeys.application.invitation.service.InvitationService;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.webhook.service.DisabledEndpointNotices;
import com.orgkeys.application.webhook.service.WebhookService;
import com.orgkeys.application.webhook.service.PurgeWebhookHistoryService;
import com.orgkeys.application.webhook.service.ServerKeyWebhookSecrets;
import com.orgkeys.application.webhook.port.in.PurgeWebhookHistoryUseCase;
import com.orgkeys.http.webhook.WebhookRoutes;
import com.orgkeys.application.membership.service.MembershipService;
import com.orgkeys.application.membership.service.RoleService;
import com.orgkeys.application.membership.service.Roles;
import com.orgkeys.application.organization.service.OrganizationService;
import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase;
import com.orgkeys.application.apikeyexpiry.port.in.SendExpiryNoticesUseCase;
import com.orgkeys.application.apikeyexpiry.service.SendExpiryNoticesService;
import com.orgkeys.persistence.apikeyexpiry.JdbcExpiryNoticeRepository;
import com.orgkeys.application.retention.port.out.AuditArchive;
import com.orgkeys.application.retention.service.RetentionService;
import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.sessiontoken.service.SessionTokenService;
import com.orgkeys.http.sessiontoken.SessionTokenRoutes;
import com.orgkeys.persistence.sessiontoken.JdbcSigningKeyRepository;
import com.orgkeys.persistence.sessiontoken.NimbusJwtSigner;
import com.orgkeys.http.account.AccountRoutes;
import com.orgkeys.http.account.AccountSettingsRoutes;
import com.orgkeys.http.account.EmailSignInRoutes;
import com.orgkeys.http.account.EmailChangeRoutes;
import com.orgkeys.http.account.EmailVerificationRoutes;
import com.orgkeys.http.account.PasswordResetRoutes;
import com.orgkeys.http.agent.AgentRoutes;
import com.orgkeys.http.apikey.ApiKeyRoutes;
import com.orgkeys.http.apikey.LeakReportRoutes;
import com.orgkeys.http.auth.WhoAmIRoutes;
import com.orgkeys.http.gateway.ForwardAuthRoutes;
import com.orgkeys.http.oauth.IntrospectionRoutes;
import com.orgkeys.http.audit.AuditRoutes;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.CsrfFilter;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.dashboard.DashboardRoutes;
import com.orgkeys.http.invitation.InvitationRoutes;
import com.orgkeys.http.membership.MembershipRoutes;
import com.orgkeys.http.openapi.ApiReferenceRoutes;
import com.orgkeys.http.openapi.OpenApiRoutes;
import com.orgkeys.http.organization.OrganizationRoutes;
import com.orgkeys.persistence.password.Argon2PasswordHasher;
import com.orgkeys.persistence.agent.JdbcAgentRepository;
import com.orgkeys.persistence.apikey.JdbcApiKeyRepository;
import com.orgkeys.persistence.apikey.JdbcApiKeyUsageRepository;
import com.orgkeys.persistence.apikey.JdbcRateLimitCounts;
import com.orgkeys.persistence.apikey.listener.RevocationFeed;
import com.orgkeys.persistence.account.JdbcAccountThrottleStore;
import com.orgkeys.persistence.account.JdbcSessionRepository;
import com.orgkeys.persistence.account.JdbcUserRepository;
import com.orgkeys.persistence.accounttoken.JdbcAccountTokenRepository;
import com.orgkeys.persistence.audit.JdbcAuditLog;
import com.orgkeys.persistence.invitation.JdbcInvitationRepository;
import com.orgkeys.persistence.membership.JdbcMembershipRepository;
import com.orgkeys.persistence.membership.JdbcRoleRepository;
import com.orgkeys.persistence.organization.JdbcOrganizationRepository;
import com.orgkeys.persistence.mail.SmtpMailer;
import com.orgkeys.persistence.outbox.JdbcOutboxRepository;
import com.orgkeys.persistence.webhook.HttpWebhookSender;
import com.orgkeys.persistence.webhook.JdbcWebhookDeliveryRepository;
import com.orgkeys.persistence.webhook.JdbcWebhookEndpointRepository;
import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase;
import com.orgkeys.application.webhook.service.WebhookDeliveryService;
import com.orgkeys.application.webhook.service.WebhookEventRecorder;
import com.orgkeys.persistence.retention.AdvisoryJobLock;
import com.orgkeys.persistence.retention.JsonLinesAuditArchive;
import com.orgkeys.persistence.secret.JdbcServerSecrets;
import com.orgkeys.http.health.HealthRoutes;
import com.orgkeys.http.server.Draining;
import com.orgkeys.http.telemetry.MetricsRoutes;
import com.orgkeys.http.telemetry.PrometheusRequestMetrics;
import com.orgkeys.persistence.telemetry.PrometheusApiKeyMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import com.orgkeys.http.server.HttpApi;
import com.orgkeys.http.server.Json;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.server.SecurityHeaders;
import com.orgkeys.persistence.database.DataDirectory;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.JdbcDatabaseProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The composition root: builds the whole object graph with constructors, starts it, and stops it in order. */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final int USAGE_FLUSH_SECONDS = 5;
    private static final Duration USAGE_FLUSH_INTERVAL = Duration.ofSeconds(USAGE_FLUSH_SECONDS);
    /** How soon a node signs with a secret rotated elsewhere (it verifies one at once, reloading on demand). */
    private static final Duration SERVER_SECRETS_RELOAD_INTERVAL = Duration.ofMinutes(1);
    /** The retention job (RETENTION_DAYS, AUDIT_RETENTION_DAYS): shortly after start, then hourly; one node at a time. */
    private static final Duration RETENTION_FIRST_RUN = Duration.ofMinutes(1);
    private static final Duration RETENTION_INTERVAL = Duration.ofHours(1);
    /**
     * The API key expiry notices (apiKey.expiring, apiKey.expired): every minute, so that a receiver hears of an
     * expiry within about a minute of it; a run with nothing due reads two empty index ranges. One node at a time.
     */
    private static final Duration EXPIRY_NOTICES_INTERVAL = Duration.ofMinutes(1);
    /** How often each node looks for due outbox messages (mail) when the last round was not a full batch. */
    private static final Duration OUTBOX_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How often each node looks for due webhook deliveries when it found none: the bound on commit-to-send delay. */
    private static final Duration WEBHOOK_POLL_INTERVAL = Duration.ofMillis(200);
    private static final int WEBHOOK_SEAL_BATCH = 100;

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final URI origin;
    private final int port;
    private final Router router;
    private final Optional<Integer> metricsPort;
    private final ApiKeyUsage apiKeyUsage;
    private final SendExpiryNoticesUseCase expiryNotices;
    private boolean closed;

    /**
     * What the application takes from the world outside the process rather than from its configuration: time, the
     * mailer used when SMTP_URL is not set, and how SMTP's TLS is checked. {@link Main} passes the real ones; tests
     * pass a clock they can move, a mailer they can read, or trust for a test SMTP server's self-signed certificate.
     */
    public record Dependencies(Clock clock, Mailer mailer, SmtpMailer.Tls smtpTls) {
        public Dependencies {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(mailer, "mailer");
            Objects.requireNonNull(smtpTls, "smtpTls");
        }

        public Dependencies(Clock clock, Mailer mailer) {
            this(clock, mailer, SmtpMailer.Tls.verified());
        }

        /** The system clock, and mail written to the log unless SMTP_URL is set (orgkeys needs no SMTP server). */
        public static Dependencies system() {
            return new Dependencies(Clock.systemUTC(), new LoggingMailer());
        }
    }

    private Application(Config config, Dependencies dependencies) {
        try {
            DatabaseUrl databaseUrl;
            boolean embedded = config.databaseUrl().isEmpty();
            Optional<DataDirectory> dataDirectory = Optional.empty();
            if (embedded) {
                // Before anything touches the cluster: a second orgkeys on this DATA_DIR stops here, and only the
                // holder of the lock may take a running postmaster there for an orphan.
                dataDirectory = Optional.of(lock(config.dataDir()));
                toClose.push(dataDirectory.get());
            }
            // Bound before the database starts: a port in use fails at once, without creating or starting a cluster.
            router = new Router(Json.newMapper(), Router.DEFAULT_MAX_BODY_BYTES, config.trustedProxies());
            Draining draining = new Draining(config.shutdownDrain(), dependencies.clock());
            router.draining(draining);
            HttpApi http = bind(config, router);
            // One registry for the process, made here and handed to every adapter that reports into it.
            PrometheusRegistry metrics = new PrometheusRegistry();
            Optional<HttpApi> metricsHttp = Optional.empty();
            Wired wired;
            try {
                metricsHttp = config.metrics().port().map(p -> bindMetrics(config, p, metrics));
                metricsPort = metricsHttp.map(HttpApi::port);
                port = http.port();
                dataDirectory.ifPresent(held -> held.recordPort(port));
                if (embedded) {
                    EmbeddedDatabase postgres = startEmbedded(dataDirectory.get());
                    toClose.push(postgres);
                    databaseUrl = postgres.url();
                } else {
                    databaseUrl = config.databaseUrl().get();
                }
                ProcessMetrics.register(metrics);
                Database database = connect(databaseUrl, config.databasePoolSize(), metrics);
                toClose.push(database);
                Jdbc jdbc = new Jdbc(database.dataSource());
                // Services need the public origin (for links), which may depend on the port: bind, wire, then serve.
                origin = config.publicOrigin(port);
                router.securityHeaders(SecurityHeaders.forOrigin(origin));
                wired = wire(router, jdbc, origin, config.baseUrl().isPresent(), draining, dependencies, metrics,
                        config.metrics(), config.retention(), config.auditRetention(), config.auditArchiveDir(),
                        config.apiKeyCacheSize(), config.mail(), config.admins(), config.webhooksAllowPrivate(),
                        config.webhookRetention());
            } catch (RuntimeException e) {
                http.close();
                metricsHttp.ifPresent(HttpApi::close);
                throw e;
            }
            apiKeyUsage = wired.usage();
            expiryNotices = wired.expiryNotices();
            // Closed in reverse: draining, then HTTP (in-flight requests finish), then the last usage flush, the
            // feed, the pool and database.
            // said once at start: deleting audit events is what an upgrade from a version that kept them changes
            config.auditRetention().ifPresent(period -> log.info("retention: audit events older than {} days are deleted{}"
                    + " (AUDIT_RETENTION_DAYS, the same on every node; 0 keeps them)", period.toDays(),
                    config.auditArchiveDir().map(dir -> ", after being appended to JSON-lines files in " + dir)
                            .orElse(" without a copy (set AUDIT_ARCHIVE_DIR to keep one)")));
            // said once at start: where mail goes (never the SMTP password)
            config.mail().ifPresentOrElse(
                    mail -> log.info("mail: sent through {} from {} (SMTP_URL, MAIL_FROM)", mail.smtpUrl().redacted(),
                            mail.from()),
                    () -> {
                        if (dependencies.mailer() instanceof LoggingMailer) {
                            log.warn(loggedMail(dependencies.mailer(), origin) instanceof LoggingMailer m
                                    && m.writesSecrets()
                                    ? "mail: SMTP_URL is not set, so mail is only written to this log, its links and "
                                    + "codes included (set SMTP_URL and MAIL_FROM to send it)"
                                    : "mail: SMTP_URL is not set, so no mail is sent: nobody can verify an address, "
                                    + "reset a password or sign in by mail (set SMTP_URL and MAIL_FROM)");
                        }
                    });
            toClose.push(PeriodicTask.background("retention", RETENTION_FIRST_RUN, RETENTION_INTERVAL, () -> {
                logPurged(wired.retention().purge());
                wired.outbox().purgeFinished().filter(n -> n > 0).ifPresent(n -> log.info(
                        "retention: deleted {} outbox messages sent or given up on (RETENTION_DAYS)", n));
                wired.accountTokens().purgeEnded().filter(n -> n > 0).ifPresent(n -> log.info(
                        "retention: deleted {} used or expired account tokens (RETENTION_DAYS)", n));
                wired.webhookHistory().purgeSettled().filter(n -> n > 0).ifPresent(n -> log.info(
                        "retention: deleted {} webhook messages delivered or given up on, with their attempts "
                                + "(WEBHOOK_RETENTION_DAYS)", n));
            }));
            toClose.push(PeriodicTask.background("api-key-expiry-notices", EXPIRY_NOTICES_INTERVAL,
                    EXPIRY_NOTICES_INTERVAL, () -> logExpiryNotices(wired.expiryNotices().sendDue())));
            // stopped before the pool: a round in progress ends, or its messages stay due for the next one
            toClose.push(new OutboxWorker(wired.outbox(), OutboxService.BATCH_SIZE, OUTBOX_POLL_INTERVAL));
            if (embedded) {
                // this process holds the DATA_DIR lock: a lease left in its database was a previous process's
                int resumed = wired.webhooks().resumeUnfinishedOfAPreviousProcess();
                if (resumed > 0) {
                    log.info("webhooks: {} deliveries a previous process had not finished are sent again now", resumed);
                }
            }
            toClose.push(new WebhookWorker(wired.webhooks(), WEBHOOK_POLL_INTERVAL, wired.webhookWorkerPause()));
            if (config.webhooksAllowPrivate()) {
                log.warn("webhooks: WEBHOOKS_ALLOW_PRIVATE=true: endpoints may use plain http and private or loopback "
                        + "addresses (development only: a webhook URL can then reach this server's own network)");
            }
            toClose.push(PeriodicTask.background("server-secrets-reload", SERVER_SECRETS_RELOAD_INTERVAL,
                    SERVER_SECRETS_RELOAD_INTERVAL, wired.serverSecrets()::reload));
            toClose.push(new RevocationFeed(config.databaseListenUrl().orElse(databaseUrl), wired.revocations()));
            PeriodicTask usageFlush = new PeriodicTask("api-key-usage-flush", USAGE_FLUSH_INTERVAL, () -> flushUsage(wired.usage()));
            wired.usage().whenFilling(usageFlush::runSoon);
            toClose.push(usageFlush);
            toClose.push(http);
            if (metricsHttp.isPresent()) {
                toClose.push(metricsHttp.get());
                metricsHttp.get().start();
                log.info("metrics on http://{}:{}{}", config.metrics().host(), metricsPort.get(), MetricsRoutes.PATH);
            }
            http.start();
            toClose.push(() -> drain(draining));
            log.info("orgkeys listening on http://{}:{} (public origin {}), database: {}",
                    config.host(), port, origin,
                    embedded ? "embedded PostgreSQL in " + config.dataDir().toAbsolutePath().normalize()
                            : "external " + databaseUrl.redacted());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Readiness fails at once; everything else is served for the drain period, then the listener closes. */
    private static void drain(Draining draining) {
        if (!draining.period().isZero()) {
            log.info("orgkeys stopping: /readyz answers 503, serving for {} s more (SHUTDOWN_DRAIN_SECONDS)",
                    draining.period().toSeconds());
        }
        draining.drain();
    }

    static DataDirectory lock(Path dataDir) {
        try {
            return DataDirectory.lock(dataDir);
        } catch (DataDirectory.UnusableException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    static EmbeddedDatabase startEmbedded(DataDirectory dataDirectory) {
        try {
            return EmbeddedDatabase.start(dataDirectory, 0);
        } catch (DataDirectory.UnusableException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** Mail only logged: with its links and codes while orgkeys is tried (not https), without them once deployed. */
    static Mailer loggedMail(Mailer mailer, URI origin) {
        return mailer instanceof LoggingMailer logging && "https".equals(origin.getScheme())
                ? logging.withoutSecrets() : mailer;
    }

    private static Database connect(DatabaseUrl url, int poolSize, PrometheusRegistry metrics) {
        try {
            return Database.connect(url, poolSize, metrics);
        } catch (Database.UnsupportedVersionException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    private static HttpApi bind(Config config, Router router) {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        try {
            return HttpApi.bind(address, router, SHUTDOWN_GRACE);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof BindException cause)) throw e;
            throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + " (HOST, PORT): "
                    + cause.getMessage(), e);
        }
    }

    /** The metrics listener off the public port: /metrics only, no credentials, nothing else. */
    private static HttpApi bindMetrics(Config config, int metricsPort, PrometheusRegistry metrics) {
        Router metricsRouter = new Router(Json.newMapper(), Router.DEFAULT_MAX_BODY_BYTES);
        MetricsRoutes.open(metrics).register(metricsRouter);
        InetSocketAddress address = new InetSocketAddress(config.metrics().host(), metricsPort);
        try {
            return HttpApi.bind(address, metricsRouter, SHUTDOWN_GRACE);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof BindException cause)) throw e;
            throw new StartupException("cannot listen on " + config.metrics().host() + ":" + metricsPort
                    + " (METRICS_HOST, METRICS_PORT): " + cause.getMessage(), e);
        }
    }

    /** One lastUsedAt flush; says when keys went unrecorded because too many were waiting (database slow or down). */
    private static void flushUsage(ApiKeyUsage usage) {
        long dropped = usage.takeDropped();
        if (dropped > 0) {
            log.warn("lastUsedAt: {} key uses not recorded since the last flush: {} keys were waiting to be written",
                    dropped, usage.pending());
        }
        long droppedCounts = usage.takeDroppedCounts();
        if (droppedCounts > 0) {
            log.warn("key usage: {} requests not counted since the last flush: {} key days were waiting to be written",
                    droppedCounts, usage.pendingCounts());
        }
        usage.flush();
    }

    private static void logExpiryNotices(SendExpiryNoticesUseCase.Sent sent) {
        if (sent.expiring() > 0 || sent.expired() > 0) {
            log.info("webhooks: {} apiKey.expiring and {} apiKey.expired events recorded", sent.expiring(), sent.expired());
        }
        if (sent.skipped()) log.debug("api key expiry notices: another node is running the job; skipped");
    }

    private static void logPurged(PurgeEndedRecordsUseCase.Purged purged) {
        if (purged.sessions() > 0 || purged.invitations() > 0) {
            log.info("retention: deleted {} ended sessions and {} finished invitations (RETENTION_DAYS)",
                    purged.sessions(), purged.invitations());
        }
        if (purged.keyUsageDays() > 0) {
            log.info("retention: deleted {} API key usage days older than {} days", purged.keyUsageDays(),
                    PurgeEndedRecordsUseCase.KEY_USAGE_DAYS);
        }
        if (purged.auditEvents() > 0) {
            log.info("retention: deleted {} audit events (AUDIT_RETENTION_DAYS)", purged.auditEvents());
        }
        purged.archiveFailure().ifPresent(failure -> log.error(
                "retention: audit events due for deletion were kept, as AUDIT_ARCHIVE_DIR failed: {}", failure));
        if (purged.skipped()) log.debug("retention: another node is running the job; skipped");
    }

    /** Seals the endpoint secrets stored in the clear before V32, in small transactions (any node may be doing it too). */
    private static void sealPlaintextWebhookSecrets(JdbcWebhookEndpointRepository endpoints) {
        int total = 0;
        for (int sealed = WEBHOOK_SEAL_BATCH; sealed == WEBHOOK_SEAL_BATCH; total += sealed) {
            sealed = endpoints.sealPlaintextSecrets(WEBHOOK_SEAL_BATCH);
        }
        if (total > 0) log.info("webhooks: sealed {} endpoint secrets stored in the clear by an earlier version", total);
    }

    /** What the running application needs from the object graph beyond the routes. */
    private record Wired(ApiKeyUsage usage, RevocationListener revocations, ServerSecretService serverSecrets,
                         PurgeEndedRecordsUseCase retention, ProcessOutboxUseCase outbox,
                         PurgeEndedTokensUseCase accountTokens, DeliverWebhooksUseCase webhooks,
                         PurgeWebhookHistoryUseCase webhookHistory, SendExpiryNoticesUseCase expiryNotices,
                         WorkerPause webhookWorkerPause) {
    }

    /** Builds every service and adapter and registers the routes. */
    private static Wired wire(Router router, Jdbc jdbc, URI origin, boolean originConfigured, Draining draining,
                              Dependencies dependencies, PrometheusRegistry metrics, Config.Metrics metricsConfig,
                              Duration retention, Optional<Duration> auditRetention,
                              Optional<Path> auditArchiveDir, int apiKeyCacheSize, Optional<Config.Mail> mail,
                              InstanceAdmins admins, boolean webhooksAllowPrivate, Duration webhookRetention) {
        // PostgreSQL keeps microseconds: a finer clock would hand out times that read back differently.
        Clock clock = Clock.tick(dependencies.clock(), Duration.ofNanos(1_000));
        var users = new JdbcUserRepository(jdbc);
        var sessions = new JdbcSessionRepository(jdbc);
        var organizations = new JdbcOrganizationRepository(jdbc);
        var memberships = new JdbcMembershipRepository(jdbc);
        var roleRepository = new JdbcRoleRepository(jdbc);
        var invitations = new JdbcInvitationRepository(jdbc);
        var auditLog = new JdbcAuditLog(jdbc);
        // the first node to start makes the secrets; every node loads them before it serves
        var serverSecrets = new ServerSecretService(new JdbcServerSecrets(jdbc), jdbc, clock);
        var roles = new Roles(roleRepository);
        var audit = new Audit(auditLog, clock);

        var passwordHasher = new Argon2PasswordHasher();
        var accountThrottle = new SharedAccountThrottle(new JdbcAccountThrottleStore(jdbc), clock);
        var accountTokens = new JdbcAccountTokenRepository(jdbc);
        var grants = new Grants(memberships, roles, organizations);
        // webhooks: events written with the change, sent by each node's WebhookWorker through the SSRF guard
        // endpoint secrets sealed under the server's webhook-secrets key; rows from before V32 sealed now
        var webhookEndpoints = new JdbcWebhookEndpointRepository(jdbc,
                new ServerKeyWebhookSecrets(serverSecrets, new AesGcmSecretCipher()));
        sealPlaintextWebhookSecrets(webhookEndpoints);
        var webhookDeliveries = new JdbcWebhookDeliveryRepository(jdbc);
        var webhookSender = new HttpWebhookSender(webhooksAllowPrivate);
        // this node's worker claims what this node commits at once; the other nodes' find it at their next poll
        var webhookWorkerPause = new WorkerPause();
        var webhookEvents = new WebhookEventRecorder(webhookEndpoints, webhookDeliveries, JacksonMetadataJson.INSTANCE,
                jdbc, clock, webhookWorkerPause::wake);
        var apiKeyRepository = new JdbcApiKeyRepository(jdbc);
        var apiKeyUsageRepository = new JdbcApiKeyUsageRepository(jdbc);
        var apiKeyUsage = new ApiKeyUsage(apiKeyRepository, apiKeyUsageRepository);
        var apiKeys = new ApiKeyService(apiKeyRepository, apiKeyUsage, grants, new VerifiedEmails(users), audit, jdbc,
                clock, apiKeyCacheSize, new PrometheusApiKeyMetrics(metrics), new JdbcRateLimitCounts(jdbc), webhookEvents);
        // user-owned keys follow their user's memberships and roles
        var ownedApiKeys = new OwnedApiKeys(apiKeyRepository, audit, clock, apiKeys, webhookEvents);
        var membershipService = new MembershipService(memberships, users, roles, grants, audit, jdbc, clock, ownedApiKeys,
                organizations, webhookEvents);
        var roleService = new RoleService(roleRepository, memberships, grants, audit, jdbc, clock, ownedApiKeys);
        // mail goes through the outbox: written with the change, sent by the worker (SMTP, or the log without it)
        Mailer mailer = mail.<Mailer>map(m -> new SmtpMailer(m.smtpUrl(), m.from(), origin, dependencies.smtpTls(), clock))
                .orElse(loggedMail(dependencies.mailer(), origin));
        var outboxRepository = new JdbcOutboxRepository(jdbc);
        var mails = new MailOutbox(outboxRepository, mailer, clock);
        var outbox = new OutboxService(outboxRepository, jdbc, clock, List.of(mails), RetryPolicy.DEFAULT,
                OutboxService.BATCH_SIZE, new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), retention);
        var emailVerifications = new EmailVerifications(accountTokens, mails, origin);
        var twoFactors = new JdbcTwoFactorRepository(jdbc);
        var accountWebhooks = new AccountWebhooks(webhookEvents, users, sessions); // user.* and session.*
        var accounts = new AccountService(users, sessions, memberships, organizations, roles, passwordHasher, accountThrottle,
                emailVerifications, twoFactors, accountTokens, jdbc, clock, accountWebhooks);
        var totpCipher = new TotpSecretCipher(serverSecrets, new AesGcmSecretCipher());
        var twoFactorNotices = new TwoFactorNotices(memberships, mails, audit, ownedApiKeys, jdbc);
        var twoFactor = new TwoFactorService(users, sessions, twoFactors, totpCipher, twoFactorNotices, passwordHasher,
                accountThrottle, jdbc, clock, accountWebhooks);
        var secondFactor = new SecondFactorSignInService(users, accountTokens, twoFactors, totpCipher,
                twoFactorNotices, accounts, accountThrottle, jdbc, clock);
        var passkeyRepository = new JdbcPasskeyRepository(jdbc);
        var webAuthn = new YubicoWebAuthn(origin, MailTemplates.PRODUCT, clock);
        var passkeys = new PasskeyService(users, passkeyRepository, twoFactors, webAuthn, twoFactorNotices, passwordHasher,
                accountThrottle, jdbc, clock);
        var passkeySignIn = new PasskeySignInService(users, accountTokens, passkeyRepository, webAuthn, accounts,
                accountThrottle, jdbc, clock);
        var emailVerification = new EmailVerificationService(users, accountTokens, emailVerifications,
                accountThrottle, jdbc, clock, accountWebhooks);
        var accountSettings = new AccountSettingsService(users, sessions, memberships, passwordHasher, accountThrottle,
                mails, audit, jdbc, clock, accountWebhooks);
        var emailChange = new EmailChangeService(users, memberships, accountTokens, passwordHasher, accountThrottle,
                mails, audit, jdbc, clock, origin, accountWebhooks);
        var passwordReset = new PasswordResetService(users, sessions, memberships, accountTokens, passwordHasher,
                accountThrottle, mails, audit, jdbc, clock, origin, accountWebhooks);
        var emailSignIn = new EmailSignInService(users, accountTokens, accounts, accountThrottle, mails, jdbc, clock,
                origin);
        var invitationService = new InvitationService(invitations, memberships, organizations, users, sessions, roles,
                grants, mails, audit, jdbc, clock, origin, webhookEvents);

        var webhookDelivery = new WebhookDeliveryService(webhookEndpoints, webhookDeliveries, webhookSender, jdbc, clock,
                Optional.of(new DisabledEndpointNotices(organizations, memberships, roleRepository, mails)));
        var webhooks = new WebhookService(webhookEndpoints, webhookDeliveries, webhookEvents, webhookSender, grants,
                accountThrottle, audit,
                jdbc, clock);

        var leakReports = new LeakReportService(apiKeyRepository, organizations, memberships, roleRepository,
                accountThrottle, mails, audit, jdbc, clock, apiKeys, webhookEvents);
        var apiKeyUsageService = new ApiKeyUsageService(apiKeys, apiKeyUsageRepository, auditLog, jdbc, clock);
        var organizationService = new OrganizationService(organizations, memberships, grants, sessions, twoFactors, users,
                JacksonMetadataJson.INSTANCE, audit, jdbc, clock,
                apiKeys, webhookEvents, ownedApiKeys);
        var agents = new AgentService(new JdbcAgentRepository(jdbc), grants, jdbc, clock);

        var cookie = new SessionCookie(origin);
        var secretKeys = new SecretKeyService(new JdbcSecretKeyRepository(jdbc), jdbc, clock);
        var auth = new Authenticator(accounts, cookie, apiKeys, secretKeys);
        router.afterEach(new PrometheusRequestMetrics(metrics));
        router.afterEach((call, route, method, status, nanos) -> auth.completed(call, status));
        router.beforeEach((originConfigured ? CsrfFilter.onlyFrom(origin) : CsrfFilter.fromDefaultOrRequestHost(origin))
                .exempting(Set.of(LeakReportRoutes.PATH)));
        router.accessCheck(auth);
        new HealthRoutes(new CheckReadinessService(new JdbcDatabaseProbe(jdbc)), draining).register(router);
        new AccountRoutes(accounts, accounts, auth, cookie).register(router);
        new PasswordResetRoutes(passwordReset).register(router);
        new EmailVerificationRoutes(emailVerification, auth).register(router);
        new EmailSignInRoutes(emailSignIn, auth, cookie).register(router);
        new TwoFactorRoutes(secondFactor, twoFactor, passkeys, auth, cookie).register(router);
        new PasskeyRoutes(passkeys, passkeySignIn, auth, cookie).register(router);
        new AccountSettingsRoutes(accountSettings, auth).register(router);
        new EmailChangeRoutes(emailChange, auth).register(router);
        new OrganizationRoutes(organizationService, auth).register(router);
        new MembershipRoutes(membershipService, roleService, auth).register(router);
        new InvitationRoutes(invitationService, auth).register(router);
        new AuditRoutes(new ListAuditEventsService(auditLog), new ExportAuditEventsService(auditLog, audit), auth)
                .register(router);
        // before the routes with an {id}: "leaked" is no key's id
        new LeakReportRoutes(leakReports).register(router);
        new ApiKeyRoutes(apiKeys, apiKeyUsageService, auth).register(router);
        new BackendApiKeyRoutes(apiKeys, apiKeys, auth).register(router);
        var userAdministration = new UserAdministrationService(users, sessions, memberships, organizations,
                passwordHasher, JacksonMetadataJson.INSTANCE, audit, jdbc, clock, ownedApiKeys, accountWebhooks);
        new BackendUserRoutes(userAdministration, auth, clock).register(router);
        new AccountMetadataRoutes(userAdministration, auth).register(router);
        new BackendOrganizationRoutes(organizationService, membershipService, roleService, auth).register(router);
        new AgentRoutes(agents, auth).register(router);
        new WebhookRoutes(webhooks, auth).register(router);
        new WhoAmIRoutes(auth).register(router);
        new ForwardAuthRoutes(auth).register(router);
        new IntrospectionRoutes(apiKeys, secretKeys).register(router);
        // keys made on first need (one node's row wins), rotated by age or from the CLI; iss is the public origin
        var sessionTokens = new SessionTokenService(new JdbcSigningKeyRepository(jdbc), new NimbusJwtSigner(),
                serverSecrets, new AesGcmSecretCipher(), users, clock, origin);
        new SessionTokenRoutes(sessionTokens, sessionTokens, auth).register(router);
        new OpenApiRoutes().register(router);
        new ApiReferenceRoutes().register(router);
        MetricsRoutes.behindToken(metrics, metricsConfig.token()).register(router);
        var auditEvents = new ListAuditEventsService(auditLog);
        new DashboardRoutes(new DashboardRoutes.UseCases(accounts, accounts,
                organizationService, membershipService, roleService, invitationService, auditEvents, apiKeys, agents,
                serverSecrets, passwordReset, emailVerification, emailSignIn, accountSettings, emailChange, secondFactor,
                twoFactor, passkeys, passkeySignIn,
                new SecretKeyAdminService(admins, users, secretKeys, accountThrottle, passwordHasher), apiKeyUsageService,
                webhooks),
                auth, cookie, origin, clock).register(router);
        Optional<AuditArchive> archive = auditArchiveDir.map(JsonLinesAuditArchive::new);
        var retentionService = new RetentionService(sessions, invitations,
                new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), clock, retention,
                auditRetention.map(period -> new RetentionService.AuditRetention(auditLog, period, archive)))
                .deletingKeyUsage(apiKeyUsageRepository);
        var tokenRetention = new AccountTokenService(accountTokens,
                new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), clock, retention);
        return new Wired(apiKeyUsage, new Revocations(apiKeys, secretKeys), serverSecrets, retentionService, outbox,
                tokenRetention, webhookDelivery, new PurgeWebhookHistoryService(webhookDeliveries,
                new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), clock, webhookRetention),
                new SendExpiryNoticesService(new JdbcExpiryNoticeRepository(jdbc), webhookEvents,
                        new AdvisoryJobLock(jdbc, AdvisoryJobLock.EXPIRY_NOTICES_KEY), clock), webhookWorkerPause);
    }

    public static Application start(Config config, Dependencies dependencies) {
        return new Application(config, dependencies);
    }

    public int port() {
        return port;
    }

    public URI origin() {
        return origin;
    }

    public Router router() {
        return router;
    }

    /**
     * Writes the API key usage and lastUsedAt collected so far, as the periodic flush does every
     * {@value #USAGE_FLUSH_SECONDS} seconds (for tests, which should not wait for it).
     */
    public void flushApiKeyUsage() {
        flushUsage(apiKeyUsage);
    }

    /** Runs the API key expiry notices' job now, as it runs every minute (for tests, which should not wait for it). */
    public SendExpiryNoticesUseCase.Sent sendExpiryNotices() {
        return expiryNotices.sendDue();
    }

    /** The port of the metrics listener, when METRICS_PORT is set. */
    public Optional<Integer> metricsPort() {
        return metricsPort;
    }

    /** Drains, stops HTTP (in-flight requests finish), then the pool, then the embedded database. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        while (!toClose.isEmpty()) {
            AutoCloseable next = toClose.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("error while stopping {}", next.getClass().getSimpleName(), e);
            }
        }
    }
}
