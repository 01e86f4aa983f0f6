package com.orgkeys.http.server;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK HTTP server with one virtual thread per request, all requests going to one {@link Router}. */
public final class HttpApi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration shutdownGrace;

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
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, waits up to the grace period for requests in flight, then stops. */
    @Override
    public void close() {
        server.stop((int) Math.max(1, shutdownGrace.toSeconds()));
        executor.shutdown();
    }
}
