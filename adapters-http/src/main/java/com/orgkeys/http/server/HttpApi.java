package com.orgkeys.http.server;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP server with one virtual thread per request, all requests going to one {@link Router}.
 *
 * <p>Limits against slow or greedy clients. The JDK reads them once per JVM from system properties (class
 * {@code sun.net.httpserver.ServerConfig}), so they are set here, before the first server exists, and only
 * where the operator has not set them already (e.g. {@code java -Dsun.net.httpserver.maxReqTime=10 -jar …}).
 */
public final class HttpApi implements AutoCloseable {
    /** Property name → default; times in seconds, sizes in bytes; and TCP_NODELAY. */
    static final Map<String, String> SERVER_LIMITS = limits();

    private static Map<String, String> limits() {
        Map<String, String> limits = new LinkedHashMap<>();
        limits.put("sun.net.httpserver.maxReqTime", "30");          // s to receive a whole request (headers and body)
        limits.put("sun.net.httpserver.maxRspTime", "60");          // s from the end of the request to the end of the response
        limits.put("sun.net.httpserver.idleInterval", "30");        // s an idle keep-alive connection stays open
        limits.put("sun.net.httpserver.maxIdleConnections", "200"); // idle keep-alive connections kept at most
        limits.put("sun.net.httpserver.maxReqHeaders", "100");      // header lines per request
        limits.put("sun.net.httpserver.maxReqHeaderSize", "65536"); // names + values + 32 per line, in bytes
        // Without TCP_NODELAY, a response longer than one write (~8 KB: a dashboard page, 20 API keys) waited for the
        // client's delayed ACK of the first part (Nagle): ~40 ms each, 86 instead of 658 such pages a second.
        limits.put("sun.net.httpserver.nodelay", "true");
        for (Map.Entry<String, String> limit : limits.entrySet()) {
            if (System.getProperty(limit.getKey()) == null) System.setProperty(limit.getKey(), limit.getValue());
        }
        return Map.copyOf(limits);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration shutdownGrace;
    private volatile boolean started;

    private HttpApi(HttpServer server, ExecutorService executor, Duration shutdownGrace) {
        this.server = server;
        this.executor = executor;
        this.shutdownGrace = shutdownGrace;
    }

    /** Binds the port (so that it is known, e.g. for PORT=0) without serving requests yet. */
    public static HttpApi bind(InetSocketAddress address, Router router, Duration shutdownGrace) {
        try {
            HttpServer server = HttpServer.create(address, 1024);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/", router);
            return new HttpApi(server, executor, shutdownGrace);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + address, e);
        }
    }

    public static HttpApi start(InetSocketAddress address, Router router, Duration shutdownGrace) {
        HttpApi api = bind(address, router, shutdownGrace);
        api.start();
        return api;
    }

    public void start() {
        server.start();
        started = true;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, waits up to the grace period for requests in flight, then stops. */
    @Override
    public void close() {
        // a server that never started has no requests to wait for, and the JDK would wait out the whole delay
        server.stop(started ? (int) Math.max(1, shutdownGrace.toSeconds()) : 0);
        executor.shutdown();
    }
}
