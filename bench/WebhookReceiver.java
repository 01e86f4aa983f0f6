import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 25's webhook receiver: a com.sun.net.httpserver on loopback that checks each delivery's Standard Webhooks
 * signature (WEBHOOK_SECRET; a bad one is answered 400 and counted), answers 204, and records per delivery its webhook-id, the
 * event's timestamp (the payload's {@code timestamp}, epoch ms, taken by orgkeys with the change), the renamed key's
 * name (how the driver's file is joined) and the arrival time. Same machine, same clock as orgkeys.
 *
 * GET /summary?from=MS[&driven=FILE]: a JSON summary (deliveries, distinct ids, duplicates, bad signatures, latency
 * from the event's timestamp to arrival at p50/p99/max over the events with timestamp >= from); with driven, the
 * driver's file (name, sent ms, answered ms, status per change) is joined by name: latency from the change's 2xx at
 * the driver to arrival, and the change's own timestamp-to-2xx time (the commit lies between the two). Every call
 * also writes the distinct webhook-ids, one a line, to RECEIVER_IDS. Also printed on exit.
 *
 * Usage: PORT=0 WEBHOOK_SECRET=whsec_... RECEIVER_IDS=FILE java WebhookReceiver.java
 */
public final class WebhookReceiver {
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"\\\\]*)\"");

    record Delivery(String id, String name, long timestampMs, long arrivalMs) {}

    private final List<Delivery> deliveries = new ArrayList<>(); // guarded by this
    private final AtomicLong badSignatures = new AtomicLong();
    private final byte[] key; // the secret's bytes; null: nothing is verified
    private final Path idsFile;

    WebhookReceiver(String secret, Path idsFile) {
        this.key = secret == null || secret.isBlank() ? null : Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
        this.idsFile = idsFile;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "0"));
        String ids = System.getenv("RECEIVER_IDS");
        WebhookReceiver receiver = new WebhookReceiver(System.getenv("WEBHOOK_SECRET"), ids == null ? null : Path.of(ids));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", receiver::receive);
        server.createContext("/summary", receiver::summary);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(receiver.summary(0, null))));
        server.start();
        System.out.println("receiver listening on http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            long arrival = System.currentTimeMillis();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String body = new String(raw, StandardCharsets.UTF_8);
            if (id == null || !signedBy(key, id, exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                    exchange.getRequestHeaders().getFirst("webhook-signature"))) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Matcher timestamp = TIMESTAMP.matcher(body);
            Matcher name = NAME.matcher(body);
            Delivery delivery = new Delivery(id, name.find() ? name.group(1) : "",
                    timestamp.find() ? Long.parseLong(timestamp.group(1)) : -1, arrival);
            synchronized (this) {
                deliveries.add(delivery);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Standard Webhooks: v1,base64(HMAC-SHA256(key, id.timestamp.body)), one of the space-separated signatures. */
    static boolean signedBy(byte[] key, String id, String timestamp, String body, String signatures) {
        if (key == null) return true;
        if (timestamp == null || signatures == null) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(signature.substring(3)))) return true;
            }
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void summary(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            byte[] body = summary(Long.parseLong(query.getOrDefault("from", "0")),
                    query.containsKey("driven") ? Path.of(query.get("driven")) : null).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private String summary(long fromMs, Path driven) {
        List<Delivery> all;
        synchronized (this) {
            all = List.copyOf(deliveries);
        }
        Map<String, Delivery> first = new HashMap<>(); // a duplicate's latency is not the event's: the first counts
        for (Delivery d : all) first.putIfAbsent(d.id(), d);
        if (idsFile != null) {
            try {
                Files.write(idsFile, first.keySet().stream().sorted().toList(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        long[] latency = first.values().stream().filter(d -> d.timestampMs() >= fromMs)
                .mapToLong(d -> d.arrivalMs() - d.timestampMs()).toArray();
        StringBuilder json = new StringBuilder();
        json.append("{\"deliveries\":").append(all.size()).append(",\"distinct\":").append(first.size())
                .append(",\"duplicates\":").append(all.size() - first.size())
                .append(",\"bad_signatures\":").append(badSignatures.get())
                .append(",\"from_ms\":").append(fromMs)
                .append(",\"latency_from_timestamp\":").append(percentiles(latency));
        if (driven != null) {
            Map<String, long[]> changes = new HashMap<>(); // name -> {sent ms, answered ms}
            try {
                for (String line : Files.readAllLines(driven, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t");
                    if (f.length == 4 && f[3].startsWith("2")) changes.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<Long> afterAnswer = new ArrayList<>();
            List<Long> timestampToAnswer = new ArrayList<>();
            Set<String> matched = new HashSet<>();
            for (Delivery d : first.values()) {
                long[] change = changes.get(d.name());
                if (change == null || d.timestampMs() < fromMs) continue;
                matched.add(d.name());
                afterAnswer.add(d.arrivalMs() - change[1]);
                timestampToAnswer.add(change[1] - d.timestampMs());
            }
            json.append(",\"matched\":").append(matched.size())
                    .append(",\"latency_from_2xx\":").append(percentiles(afterAnswer.stream().mapToLong(Long::longValue).toArray()))
                    .append(",\"timestamp_to_2xx\":").append(percentiles(timestampToAnswer.stream().mapToLong(Long::longValue).toArray()));
        }
        return json.append('}').toString();
    }

    /** {"count", "p50_ms", "p99_ms", "max_ms"}: nearest-rank percentiles of whole milliseconds. */
    private static String percentiles(long[] values) {
        if (values.length == 0) return "{\"count\":0,\"p50_ms\":null,\"p99_ms\":null,\"max_ms\":null}";
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return "{\"count\":" + sorted.length + ",\"p50_ms\":" + rank(sorted, 50) + ",\"p99_ms\":" + rank(sorted, 99)
                + ",\"max_ms\":" + sorted[sorted.length - 1] + "}";
    }

    private static long rank(long[] sorted, int percentile) {
        return sorted[(int) Math.max(0, Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
