package com.orgkeys.bootstrap.api;

import com.orgkeys.http.server.Access;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a node behind a load balancer: readiness fails at once while everything else is still served for
 * SHUTDOWN_DRAIN_SECONDS (here on the test's clock, moved ahead instead of waited for), then the listener closes
 * and requests in flight still finish.
 */
class ShutdownDrainTest {
    static final Duration DRAIN = Duration.ofSeconds(600);
    static final byte[] SLOW_BODY = new byte[1 << 20];

    static {
        Arrays.fill(SLOW_BODY, (byte) 'x');
    }

    @Test
    void readiness_fails_at_once_the_rest_is_served_through_the_drain_then_the_port_closes_after_requests_in_flight()
            throws Exception {
        TestServer server = TestServer.start(Map.of("SHUTDOWN_DRAIN_SECONDS", Long.toString(DRAIN.toSeconds())));
        Thread closer = null;
        CountDownLatch release = new CountDownLatch(1);
        try {
            // a request that is in flight when the shutdown begins, and answers only when the test says so
            CountDownLatch entered = new CountDownLatch(1);
            server.app.router().get("/test/slow", Access.PUBLIC, call -> {
                entered.countDown();
                release.await();
                call.send(200, "application/octet-stream", SLOW_BODY);
            });
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<byte[]>> slow = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.origin() + "/test/slow")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the slow request did not arrive");

            Api anonymous = server.anonymous();
            assertEquals(200, anonymous.get("/readyz").status());
            assertFalse(rawGet(server, "/healthz", false).toLowerCase(Locale.ROOT).contains("connection: close"),
                    "keep-alive before the drain");

            closer = Thread.ofPlatform().name("test-shutdown").start(server::close);
            Api.Response ready = awaitReadyzNot200(anonymous);
            assertEquals(503, ready.status(), ready.toString());
            assertEquals("this node is stopping", ready.text("detail"));
            assertEquals("5", ready.header("Retry-After"));

            // everything else is served as usual, with the database, and each answer closes its connection
            assertEquals(200, anonymous.get("/healthz").status());
            Api user = server.signUp(OrganizationApiTest.email());
            assertEquals(200, user.get("/api/me").status());
            String raw = rawGet(server, "/healthz", true);
            assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
            assertTrue(raw.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), raw);
            assertFalse(slow.isDone(), "the slow request was cut");

            server.clock.advance(DRAIN);
            awaitRefused(server);
            assertFalse(slow.isDone(), "the slow request was cut when the listener closed");
            release.countDown();
            HttpResponse<byte[]> finished = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode());
            assertArrayEquals(SLOW_BODY, finished.body(), "the whole answer arrived");
            closer.join(Duration.ofSeconds(30));
            assertFalse(closer.isAlive(), "close() returned");
        } finally {
            release.countDown();
            if (closer == null) server.close();
            else closer.join(Duration.ofSeconds(60));
        }
    }

    /** Polls {@code /readyz} (bounded) until it is not 200: every earlier answer is a 200, none a refused connection. */
    static Api.Response awaitReadyzNot200(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Api.Response response = api.get("/readyz");
            if (response.status() != 200) return response;
            if (System.nanoTime() > deadline) throw new AssertionError("/readyz still 200 after 30 s");
            Thread.sleep(10);
        }
    }

    /** Polls (bounded) until a connection to the server's port is refused. */
    static void awaitRefused(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.app.port()), 1_000);
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the port still accepts connections after 30 s");
    }

    /**
     * One GET on a socket of its own, as a balancer's keep-alive connection: the raw answer; with {@code untilClosed},
     * read until the server closes the connection (a timeout fails), else only the head.
     */
    static String rawGet(TestServer server, String path, boolean untilClosed) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                read.write(b);
                if (!untilClosed && read.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) break;
            }
            return read.toString(StandardCharsets.US_ASCII);
        }
    }
}
