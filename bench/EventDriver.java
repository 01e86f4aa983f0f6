import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 25's changes: renames API keys through the backend API (PATCH /v1/api_keys/{id} with a backend secret key)
 * at a steady RATE per second, each key in turn and each time to a new name ("s25-N"), so that every 2xx is one
 * committed apiKey.updated event. The
 * schedule is open: request N is due at start + N / RATE whether or not earlier ones were answered, up to
 * MAX_IN_FLIGHT unanswered requests (a backend's connection pool is bounded too; an unbounded pile-up only turns
 * into 503s once orgkeys' own pool is exhausted). Beyond that the driver falls behind, which max_late_ms shows. Runs until STOP_FILE exists, then waits for every answer,
 * writes one line per change to OUT_FILE (name, sent ms, answered ms, status or "error"), and prints a JSON summary
 * (max_late_ms: how far behind its own schedule the driver sent, so that a driver that could not keep up is seen).
 *
 * Usage: DRIVER_AUTHORIZATION='Bearer sk_orgkeys_...' \
 *        java EventDriver.java BASE_URL RATE KEY_ID:SUBJECT[,KEY_ID:SUBJECT...] OUT_FILE STOP_FILE
 * (SUBJECT: the key's organization id, which the backend API's PATCH names.)
 */
public final class EventDriver {
    static final int MAX_IN_FLIGHT = 32;

    record Change(String name, long sentMs, long answeredMs, String status) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) throw new IllegalArgumentException("usage: EventDriver BASE_URL RATE KEY_IDS OUT_FILE STOP_FILE");
        String base = args[0];
        double rate = Double.parseDouble(args[1]);
        String[] keys = args[2].split(",");
        Path out = Path.of(args[3]);
        Path stop = Path.of(args[4]);
        String authorization = System.getenv("DRIVER_AUTHORIZATION");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
        long intervalNanos = (long) (1e9 / rate);
        long maxLateNanos = 0;
        long start = System.nanoTime();
        long startMs = System.currentTimeMillis();
        long nextStopCheck = start;
        java.util.concurrent.Semaphore inFlightPermits = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        int sent = 0;
        while (true) {
            long due = start + sent * intervalNanos;
            if (due >= nextStopCheck) { // a file check every 100 ms, not per request
                if (Files.exists(stop)) break;
                nextStopCheck = due + 100_000_000L;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            inFlightPermits.acquire();
            maxLateNanos = Math.max(maxLateNanos, System.nanoTime() - due);
            String name = "s25-" + sent;
            String[] key = keys[sent % keys.length].split(":"); // id, subject
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/api_keys/" + key[0]))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", authorization)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"subject\":\"" + key[1] + "\",\"name\":\"" + name + "\"}", StandardCharsets.UTF_8))
                    .build();
            long sentMs = System.currentTimeMillis();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                changes.add(new Change(name, sentMs, System.currentTimeMillis(),
                        error == null ? Integer.toString(response.statusCode()) : "error"));
                inFlightPermits.release();
            });
            sent++;
        }
        double seconds = (System.currentTimeMillis() - startMs) / 1000.0;
        // every answer in when every permit is back (the futures are not kept: a long run would fill the heap);
        // an error is counted per change ("error"), a change still unanswered is missing from OUT_FILE and not ok
        inFlightPermits.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        long ok = 0;
        List<Change> answered = List.copyOf(changes);
        long[] answerMs = new long[answered.size()];
        int i = 0;
        for (Change c : answered) {
            lines.add(c.name() + "\t" + c.sentMs() + "\t" + c.answeredMs() + "\t" + c.status());
            if (c.status().startsWith("2")) ok++;
            answerMs[i++] = c.answeredMs() - c.sentMs();
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        Arrays.sort(answerMs);
        System.out.printf("{\"sent\":%d,\"ok\":%d,\"not_ok\":%d,\"seconds\":%.3f,\"rate\":%.1f,\"max_late_ms\":%d,"
                        + "\"answer_p50_ms\":%d,\"answer_p99_ms\":%d,\"answer_max_ms\":%d}%n",
                sent, ok, sent - ok, seconds, ok / seconds, TimeUnit.NANOSECONDS.toMillis(maxLateNanos),
                rank(answerMs, 50), rank(answerMs, 99), answerMs.length == 0 ? 0 : answerMs[answerMs.length - 1]);
    }

    private static long rank(long[] sorted, int percentile) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.max(0, Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
