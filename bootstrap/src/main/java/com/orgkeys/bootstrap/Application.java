package com.orgkeys.bootstrap;

import com.orgkeys.application.health.service.CheckReadinessService;
import com.orgkeys.http.health.HealthRoutes;
import com.orgkeys.http.server.HttpApi;
import com.orgkeys.http.server.Json;
import com.orgkeys.http.server.Router;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.JdbcDatabaseProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** The composition root: builds the whole object graph with constructors, starts it, and stops it in order. */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final URI origin;
    private final int port;
    private final Router router;
    private boolean closed;

    private Application(Config config) {
        try {
            DatabaseUrl databaseUrl;
            boolean embedded = config.databaseUrl().isEmpty();
            if (embedded) {
                EmbeddedDatabase postgres = EmbeddedDatabase.start(config.dataDir(), 0);
                toClose.push(postgres);
                databaseUrl = postgres.url();
            } else {
                databaseUrl = config.databaseUrl().get();
            }
            Database database = Database.connect(databaseUrl, 20);
            toClose.push(database);
            Jdbc jdbc = new Jdbc(database.dataSource());

            router = new Router(Json.newMapper(), Router.DEFAULT_MAX_BODY_BYTES);
            new HealthRoutes(new CheckReadinessService(new JdbcDatabaseProbe(jdbc))).register(router);

            HttpApi http = HttpApi.start(new InetSocketAddress(config.host(), config.port()), router, SHUTDOWN_GRACE);
            toClose.push(http);
            port = http.port();
            origin = config.publicOrigin(port);
            log.info("orgkeys listening on http://{}:{} (public origin {}), database: {}",
                    config.host(), port, origin,
                    embedded ? "embedded PostgreSQL in " + config.dataDir().toAbsolutePath().normalize()
                            : "external " + databaseUrl.redacted());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Application start(Config config) {
        return new Application(config);
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

    /** Stops HTTP first (in-flight requests finish), then the pool, then the embedded database. */
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
