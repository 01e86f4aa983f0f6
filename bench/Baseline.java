import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The benchmark's yardstick: a bare com.sun.net.httpserver hello-world, set up like orgkeys' HttpApi (backlog
 * 1024, one virtual thread per request), so that orgkeys' figures can be read as a fraction of what the JDK
 * server itself does on this machine. PORT=0 picks a free port; the line "baseline listening on ..." says which.
 */
public final class Baseline {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "0"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        byte[] body = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        System.out.println("baseline listening on http://127.0.0.1:" + server.getAddress().getPort());
    }
}
