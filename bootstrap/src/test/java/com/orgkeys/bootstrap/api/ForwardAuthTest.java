package com.orgkeys.bootstrap.api;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/forward-auth}: directly, and behind a real nginx ({@code auth_request}) in front of a small upstream
 * that echoes the {@code X-Orgkeys-*} headers it receives. The nginx configuration is the one docs/integrating.md gives.
 */
class ForwardAuthTest {
    static final String NGINX = System.getProperty("orgkeys.nginx", "/usr/sbin/nginx");
    static TestServer server;
    static Api admin;
    static String org;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.signUp("f" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Gatewayed")).status());
        org = admin.get("/api/organization").text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Api.Response key(List<String> scopes) {
        var created = admin.post("/api/api-keys", body("name", "gateway", "scopes", scopes));
        assertEquals(201, created.status(), created.toString());
        return created;
    }

    @Test
    void a_key_is_answered_with_who_it_is_in_headers_and_no_body() {
        var key = key(List.of("org:agents:read"));
        var answer = server.anonymous().withBearer(key.text("secret")).get("/v1/forward-auth");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("", answer.raw());
        assertEquals(org, answer.header("X-Orgkeys-Organization-Id"));
        assertEquals("api_key:" + key.text("id"), answer.header("X-Orgkeys-Subject"));
        assertEquals("org:agents:read", answer.header("X-Orgkeys-Scopes"));
        assertEquals("no-store", answer.header("Cache-Control"));
        assertEquals(200, server.anonymous().withBearer(key.text("secret")).get("/v1/forward-auth?scope=org:agents:read").status());
    }

    @Test
    void a_session_cookie_is_a_credential_too() {
        var answer = admin.get("/v1/forward-auth?scope=org:agents:manage%20org:sys_api_keys:manage");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(org, answer.header("X-Orgkeys-Organization-Id"));
        assertEquals("user:" + admin.get("/api/me").body().get("user").get("id").asText(), answer.header("X-Orgkeys-Subject"));
        assertTrue(answer.header("X-Orgkeys-Scopes").contains("org:sys_api_keys:manage"), answer.header("X-Orgkeys-Scopes"));
    }

    @Test
    void missing_scopes_are_a_403_naming_them_and_bad_credentials_a_401() {
        String secret = key(List.of("org:agents:read")).text("secret");
        var lacking = server.anonymous().withBearer(secret).get("/v1/forward-auth?scope=org:agents:read&scope=org:agents:manage");
        assertEquals(403, lacking.status(), lacking.toString());
        assertEquals("Bearer realm=\"orgkeys\", error=\"insufficient_scope\", scope=\"org:agents:read org:agents:manage\"",
                lacking.header("WWW-Authenticate"));
        assertNull(lacking.header("X-Orgkeys-Organization-Id"), "a refusal says nobody");
        assertEquals("authorization_invalid", lacking.body().get("errors").get(0).get("code").asText());

        var unknownScope = server.anonymous().withBearer(secret).get("/v1/forward-auth?scope=org:agents:reed");
        assertEquals(422, unknownScope.status(), "a typo in the gateway's configuration fails closed");
        assertEquals("scope", unknownScope.body().get("errors").get(0).get("meta").get("param_name").asText());

        var nobody = server.anonymous().get("/v1/forward-auth");
        assertEquals(401, nobody.status());
        assertEquals("Bearer realm=\"orgkeys\"", nobody.header("WWW-Authenticate"));
        String backendSecret = SecretKeys.create(server, "not for gateways").secret();
        for (String bad : List.of("ok_typo", "ok_" + "A".repeat(60_000) /* a header: the server takes 64 KiB of them */, backendSecret)) {
            var refused = server.anonymous().withBearer(bad).get("/v1/forward-auth");
            assertEquals(401, refused.status(), refused.toString());
            assertEquals("Bearer realm=\"orgkeys\", error=\"invalid_token\"", refused.header("WWW-Authenticate"));
            assertNull(refused.header("X-Orgkeys-Subject"));
        }
    }

    // ---- behind nginx ----------------------------------------------------------------------------------------

    @Test
    void nginx_auth_request_lets_a_valid_key_through_with_the_headers_and_refuses_the_rest() throws Exception {
        requireInstalled();
        var reader = key(List.of("org:agents:read"));
        var writer = key(List.of("org:agents:read", "org:agents:manage"));
        var revoked = key(List.of("org:agents:read"));
        try (Upstream upstream = Upstream.start(); Nginx nginx = Nginx.start(server.app.port(), upstream.port())) {
            // a valid key reaches the upstream with who it is; what the client sent under those names does not
            var through = nginx.get("/agents/list", Map.of("Authorization", "Bearer " + reader.text("secret"),
                    "X-Orgkeys-Organization-Id", UUID.randomUUID().toString(), "X-Orgkeys-Subject", "user:admin",
                    "X-Orgkeys-Scopes", "org:sys_profile:delete"));
            assertEquals(200, through.statusCode(), through.body());
            assertEquals("x-orgkeys-organization-id=[" + org + "]\nx-orgkeys-scopes=[org:agents:read]\n"
                    + "x-orgkeys-subject=[api_key:" + reader.text("id") + "]\n", through.body());

            // a request without a credential is refused with the challenge, whatever it claims to be
            var anonymous = nginx.get("/agents/list", Map.of("X-Orgkeys-Organization-Id", org));
            assertEquals(401, anonymous.statusCode());
            assertEquals("Bearer realm=\"orgkeys\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));

            // revoked now: refused on the very next request (same cache and revocation feed as every request)
            assertEquals(200, nginx.get("/agents/list", Map.of("Authorization", "Bearer " + revoked.text("secret"))).statusCode());
            assertEquals(200, admin.post("/api/api-keys/" + revoked.text("id") + "/revoke", null).status());
            for (String secret : List.of(revoked.text("secret"), "ok_unknown")) {
                var refused = nginx.get("/agents/list", Map.of("Authorization", "Bearer " + secret));
                assertEquals(401, refused.statusCode(), refused.body());
                assertEquals("Bearer realm=\"orgkeys\", error=\"invalid_token\"",
                        refused.headers().firstValue("WWW-Authenticate").orElse(null));
            }

            // a location that needs org:agents:manage: the reader gets 403 with the scope it lacks, the writer passes
            var lacking = nginx.post("/agents/create", Map.of("Authorization", "Bearer " + reader.text("secret")));
            assertEquals(403, lacking.statusCode(), lacking.body());
            assertEquals("Bearer realm=\"orgkeys\", error=\"insufficient_scope\", scope=\"org:agents:manage\"",
                    lacking.headers().firstValue("WWW-Authenticate").orElse(null));
            var allowed = nginx.post("/agents/create", Map.of("Authorization", "Bearer " + writer.text("secret"),
                    "X-Orgkeys-Scopes", "org:sys_profile:delete"));
            assertEquals(200, allowed.statusCode(), allowed.body());
            assertTrue(allowed.body().contains("x-orgkeys-scopes=[org:agents:read org:agents:manage]"), allowed.body());

            assertEquals(List.of("/agents/list", "/agents/list", "/agents/create"), upstream.paths(),
                    "only the allowed requests reached the upstream");
        }
    }

    static void requireInstalled() {
        if (Files.isExecutable(Path.of(NGINX))) return;
        IllegalStateException missing = new IllegalStateException("the forward-auth test needs nginx (missing: " + NGINX
                + "): apt-get install nginx");
        missing.setStackTrace(new StackTraceElement[0]);
        throw missing;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The protected service: answers every request with the X-Orgkeys-* headers it got, one per line, sorted. */
    static final class Upstream implements AutoCloseable {
        private final HttpServer http;
        private final List<String> paths = java.util.Collections.synchronizedList(new ArrayList<>());

        private Upstream(HttpServer http) {
            this.http = http;
        }

        static Upstream start() throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Upstream upstream = new Upstream(http);
            http.createContext("/", exchange -> {
                upstream.paths.add(exchange.getRequestURI().getPath());
                Map<String, List<String>> seen = new TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-orgkeys-")) {
                        seen.put(name.toLowerCase(java.util.Locale.ROOT), values);
                    }
                });
                StringBuilder text = new StringBuilder();
                seen.forEach((name, values) -> text.append(name).append('=').append(values).append('\n'));
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            http.start();
            return upstream;
        }

        int port() {
            return http.getAddress().getPort();
        }

        List<String> paths() {
            return List.copyOf(paths);
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    /** nginx in the foreground, unprivileged, with every path (pid, logs, temp) in a temporary directory removed after. */
    static final class Nginx implements AutoCloseable {
        private final Path directory;
        private final Process process;
        private final int port;

        private Nginx(Path directory, Process process, int port) {
            this.directory = directory;
            this.process = process;
            this.port = port;
        }

        static Nginx start(int orgkeysPort, int upstreamPort) throws Exception {
            Path directory = Files.createTempDirectory("orgkeys-nginx");
            int port = freePort();
            String config = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid {dir}/nginx.pid;
                    error_log {dir}/error.log info;
                    events { worker_connections 64; }
                    http {
                        access_log {dir}/access.log;
                        client_body_temp_path {dir}/body;
                        proxy_temp_path {dir}/proxy;
                        fastcgi_temp_path {dir}/fastcgi;
                        uwsgi_temp_path {dir}/uwsgi;
                        scgi_temp_path {dir}/scgi;
                        upstream orgkeys { server 127.0.0.1:{orgkeys}; }
                        upstream app { server 127.0.0.1:{upstream}; }
                    {snippet}
                        server {
                            listen 127.0.0.1:{port};
                            include {dir}/orgkeys-auth.conf;
                            location /agents/list {
                                auth_request /_orgkeys/agents-read;
                                include {dir}/orgkeys-headers.conf;
                                proxy_pass http://app;
                            }
                            location /agents/create {
                                auth_request /_orgkeys/agents-manage;
                                include {dir}/orgkeys-headers.conf;
                                proxy_pass http://app;
                            }
                        }
                    }
                    """;
            Files.writeString(directory.resolve("nginx.conf"), config.replace("{snippet}", snippet("http"))
                    .replace("{dir}", directory.toString()).replace("{orgkeys}", Integer.toString(orgkeysPort))
                    .replace("{upstream}", Integer.toString(upstreamPort)).replace("{port}", Integer.toString(port)));
            Files.writeString(directory.resolve("orgkeys-auth.conf"), snippet("auth"));
            Files.writeString(directory.resolve("orgkeys-headers.conf"), snippet("headers"));
            Process process = new ProcessBuilder(NGINX, "-p", directory.toString(), "-e", directory.resolve("error.log").toString(),
                    "-c", directory.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
            Nginx nginx = new Nginx(directory, process, port);
            nginx.awaitListening();
            return nginx;
        }

        /**
         * The parts of docs/integrating.md's nginx configuration, taken from there between the markers
         * {@code # orgkeys:<name>} and {@code # end orgkeys:<name>}: the test runs what a reader copies.
         */
        static String snippet(String name) throws IOException {
            Path doc = Stream.of(Path.of("docs/integrating.md"), Path.of("../docs/integrating.md"))
                    .filter(Files::exists).findFirst().orElseThrow();
            String text = Files.readString(doc);
            String start = "# orgkeys:" + name + "\n";
            int from = text.indexOf(start);
            int to = text.indexOf("# end orgkeys:" + name + "\n");
            if (from < 0 || to < from) throw new IllegalStateException("docs/integrating.md has no nginx snippet " + name);
            return text.substring(from + start.length(), to).replace("127.0.0.1:8080", "orgkeys");
        }

        private void awaitListening() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                if (!process.isAlive()) throw new AssertionError("nginx exited: " + log());
                try (var socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) throw new AssertionError("nginx is not listening: " + log());
                    Thread.sleep(20);
                }
            }
        }

        private String log() {
            try {
                Path error = directory.resolve("error.log");
                Path out = directory.resolve("stdout.log");
                return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(error) ? Files.readString(error) : "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
            return send("GET", path, headers);
        }

        HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
            return send("POST", path, headers);
        }

        private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).method(method, method.equals("POST")
                            ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
            headers.forEach(request::header);
            return Api.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
            }
            assertFalse(Files.exists(directory));
            Objects.requireNonNull(directory);
        }
    }
}
