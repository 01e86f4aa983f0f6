package com.orgkeys.bootstrap;

import com.orgkeys.http.server.HttpApi;
import com.orgkeys.http.server.Json;
import com.orgkeys.http.server.Router;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A process for {@link FatalErrorsTest}: installs {@link FatalErrors} as Main does, then fails as told. If it
 * is still alive 30 s later, it exits 0, which the test reads as "the failure left a zombie".
 */
public final class FatalErrorProbe {
    public static void main(String[] args) throws Exception {
        FatalErrors.install(() -> System.err.println("probe: before exit"));
        switch (args[0]) {
            case "oom-in-a-thread" -> Thread.ofPlatform().name("worker").start(() -> {
                throw new OutOfMemoryError("Java heap space (probe)");
            });
            case "oom-in-a-request" -> {
                Router router = new Router(Json.newMapper(), 1024);
                router.get("/oom", call -> {
                    throw new OutOfMemoryError("Java heap space (probe)");
                });
                HttpApi api = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), router, Duration.ofSeconds(1));
                try {
                    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/oom"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    // the process is going down; the answer does not matter
                }
            }
            case "dispatcher-dies" -> Thread.ofPlatform().name(FatalErrors.HTTP_DISPATCHER_THREAD).start(() -> {
                throw new IllegalStateException("probe: the dispatcher loop ended");
            });
            case "ordinary-failure" -> Thread.ofPlatform().name("worker").start(() -> {
                throw new IllegalStateException("probe: an ordinary failure");
            });
            default -> throw new IllegalArgumentException(args[0]);
        }
        Thread.sleep(args[0].equals("ordinary-failure") ? 2_000 : 30_000);
        System.exit(0);
    }
}
