package com.orgkeys.bootstrap;

import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole application started as Main starts it, on a free port, against real PostgreSQL. */
class ApplicationTest {
    static final HttpClient client = HttpClient.newHttpClient();
    static final Application.Dependencies SYSTEM = Application.Dependencies.system();

    static Config config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1", "SHUTDOWN_DRAIN_SECONDS", "0"));
        env.putAll(extra);
        return Config.fromEnvironment(env);
    }

    static HttpResponse<String> get(Application app, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        OpenApiResponseValidator.SERVED.assertValid("GET", path, response.statusCode(), response.headers().map(), response.body());
        return response;
    }

    static String externalUrl(DatabaseUrl url) {
        return TestPostgres.environmentValue(url);
    }

    @Test
    void external_database_url_serves_health_and_readiness() throws Exception {
        DatabaseUrl database = TestPostgres.newDatabase();
        try (Application app = Application.start(config(Map.of("DATABASE_URL", externalUrl(database))), SYSTEM)) {
            HttpResponse<String> health = get(app, "/healthz");
            assertEquals(200, health.statusCode());
            assertEquals("{\"status\":\"ok\"}", health.body());
            assertEquals(200, get(app, "/readyz").statusCode());
        }
        // migrations ran on that database
        try (var connection = TestPostgres.connect(database);
             var rows = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rows.next();
            assertTrue(rows.getInt(1) >= 1);
        }
    }

    @Test
    void embedded_database_keeps_data_across_restarts(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("DATA_DIR", dataDir.toString());
        try (Application app = Application.start(config(env), SYSTEM)) {
            assertEquals(200, get(app, "/readyz").statusCode());
        }
        try (Application app = Application.start(config(env), SYSTEM)) {
            assertEquals(200, get(app, "/readyz").statusCode());
        }
        assertTrue(dataDir.resolve("postgres").resolve("PG_VERSION").toFile().exists());
    }

    @Test
    void a_second_application_on_the_same_data_dir_is_refused_and_the_first_keeps_serving(@TempDir Path dataDir)
            throws Exception {
        Map<String, String> env = Map.of("DATA_DIR", dataDir.toString());
        try (Application app = Application.start(config(env), SYSTEM)) {
            var refused = assertThrows(StartupException.class, () -> Application.start(config(env), SYSTEM));
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid() + ", port " + app.port()),
                    refused.getMessage());
            assertEquals(200, get(app, "/readyz").statusCode());
        }
    }

    @Test
    void readiness_follows_the_database_down_and_back_up(@TempDir Path pgDir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedDatabase postgres = EmbeddedDatabase.start(pgDir, port);
        try (Application app = Application.start(config(Map.of("DATABASE_URL", externalUrl(postgres.url()))), SYSTEM)) {
            assertEquals(200, get(app, "/readyz").statusCode());

            postgres.close();
            HttpResponse<String> down = awaitStatus(app, "/readyz", status -> status == 503);
            assertEquals("application/problem+json", down.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(200, get(app, "/healthz").statusCode());

            postgres = EmbeddedDatabase.start(pgDir, port);
            awaitStatus(app, "/readyz", status -> status == 200);
        } finally {
            postgres.close();
        }
    }

    /** Polls until the status matches, for at most 20 seconds. */
    static HttpResponse<String> awaitStatus(Application app, String path, IntPredicate wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        HttpResponse<String> last;
        do {
            last = get(app, path);
            if (wanted.test(last.statusCode())) return last;
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("still " + last.statusCode() + " after 20 s: " + last.body());
    }
}
