package com.orgkeys.bootstrap.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.security.ResilienceTest.awaitStatus;
import static com.orgkeys.bootstrap.security.ResilienceTest.freePort;
import static com.orgkeys.bootstrap.security.ResilienceTest.send;
import static com.orgkeys.bootstrap.security.ResilienceTest.startProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slowloris: clients that trickle a request one byte at a time neither starve other clients nor hold their
 * connection past {@code sun.net.httpserver.maxReqTime}. The JDK reads its limits once per JVM, so the
 * server runs in its own process, with the limit set on its command line (which also shows that an
 * operator's setting wins over the defaults in {@code HttpApi}).
 */
class SlowClientTest {
    static final int MAX_REQ_TIME_SECONDS = 3;
    static final int SLOW_CLIENTS = 50;
    static final long TRICKLE_MILLIS = 200;

    @Test
    void the_server_sets_its_http_limits_unless_the_operator_did() throws Exception {
        Class.forName("com.orgkeys.http.server.HttpApi", true, getClass().getClassLoader());
        for (String property : List.of("sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime",
                "sun.net.httpserver.idleInterval", "sun.net.httpserver.maxIdleConnections",
                "sun.net.httpserver.maxReqHeaders", "sun.net.httpserver.maxReqHeaderSize")) {
            String value = System.getProperty(property);
            assertNotNull(value, property);
            assertTrue(Long.parseLong(value) > 0, property + "=" + value);
        }
    }

    @Test
    void slow_clients_do_not_starve_others_and_are_cut_off_after_max_request_time(@TempDir Path dir) throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Process server = startProcess(dir.resolve("data"), port, List.of("-Dsun.net.httpserver.maxReqTime=" + MAX_REQ_TIME_SECONDS));
        try (ExecutorService slow = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> closedAfter = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) closedAfter.add(slow.submit(() -> trickleUntilClosed(port)));
            Thread.sleep(500); // all of them are trickling now

            // meanwhile, a normal client is served promptly, again and again
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_REQ_TIME_SECONDS - 1);
            int served = 0;
            while (System.nanoTime() < until) {
                var reply = send(base, "GET", "/healthz", null, null, null);
                assertEquals(200, reply.status(), reply.toString());
                assertTrue(reply.millis() < 1000, "healthz took " + reply.millis() + " ms while slow clients trickle");
                served++;
                Thread.sleep(100);
            }
            assertTrue(served >= 5, "served " + served);

            // every slow connection is closed by the server: after the limit (the JDK checks once a second), not forever
            for (Future<Long> closed : closedAfter) {
                long millis = closed.get(MAX_REQ_TIME_SECONDS + 10, TimeUnit.SECONDS);
                // not long before the limit either; the JDK times requests by the wall clock, which may step (a run
                // saw one closed after 1,971 ms of 3 s), so the monotonic measure here allows for half of it
                assertTrue(millis >= MAX_REQ_TIME_SECONDS * 500L, "closed early, after " + millis + " ms");
                assertTrue(millis <= (MAX_REQ_TIME_SECONDS + 3) * 1000L, "closed only after " + millis + " ms");
            }
            awaitStatus(base, "/healthz", 200, 5);
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** Sends a request line, then one header byte every {@value #TRICKLE_MILLIS} ms; returns when the server closed. */
    static long trickleUntilClosed(int port) throws IOException {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(MAX_REQ_TIME_SECONDS + 8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TRICKLE_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (System.nanoTime() < deadline) {
                try {
                    out.write('a');
                    out.flush();
                    int read = in.read(); // waits one trickle interval; the server never answers a request it has not read
                    if (read == -1) break;
                    throw new AssertionError("the server answered a request it had not fully received: " + (char) read);
                } catch (SocketTimeoutException stillOpen) {
                    // still open: trickle the next byte
                } catch (IOException closed) {
                    break; // reset by the server
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (System.nanoTime() >= deadline) throw new AssertionError("still open after " + millis + " ms");
            return millis;
        }
    }
}
