package com.orgkeys.http.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Method + path pattern → handler. Around every handler: a request id, the security headers, the route's
 * {@link Access} checked before it runs, one log line, the failure → problem+json table, 404/405 answers, and
 * the exchange closed whatever happens.
 */
public final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger("http");
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    public static final long DEFAULT_MAX_BODY_BYTES = 1_048_576;
    /**
     * Two: with one, the next request to finish parks behind a close waiting on the JDK's monitor and must be woken;
     * more let the queue at that monitor grow again. Measurements: docs/performance.md.
     */
    static final int CONCURRENT_CLOSES = 2;

    // Registered at start, read by every request: copy-on-write keeps reads lock-free.
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final ObjectMapper json;
    private final long maxBodyBytes;
    private final TrustedProxies proxies;
    private final List<Handler> beforeEach = new CopyOnWriteArrayList<>();
    private final List<RequestObserver> afterEach = new CopyOnWriteArrayList<>();
    // Per router, as the monitor it guards is per server (one router serves one server).
    private final Semaphore closes = new Semaphore(CONCURRENT_CLOSES);
    private volatile Handler notFound = call -> {
    };
    private volatile SecurityHeaders securityHeaders = SecurityHeaders.plainHttp();
    private volatile Draining draining = Draining.none();
    private volatile java.util.function.BiConsumer<HttpCall, Problem> errorBody;
    private volatile java.util.function.Predicate<String> errorBodyPaths;
    private volatile AccessCheck accessCheck = (call, access) -> {
        if (access != Access.PUBLIC) throw new IllegalStateException("no access check configured for " + access);
    };

    public Router(ObjectMapper json, long maxBodyBytes) {
        this(json, maxBodyBytes, TrustedProxies.none());
    }

    public Router(ObjectMapper json, long maxBodyBytes, TrustedProxies proxies) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.proxies = proxies;
    }

    /**
     * A route whose handler guards itself ({@link Access#PUBLIC}): public operations and dashboard pages. An
     * API route that needs credentials is registered with its {@link Access} instead.
     */
    public Router get(String pattern, Handler handler) {
        return route("GET", pattern, Access.PUBLIC, handler);
    }

    public Router post(String pattern, Handler handler) {
        return route("POST", pattern, Access.PUBLIC, handler);
    }

    public Router put(String pattern, Handler handler) {
        return route("PUT", pattern, Access.PUBLIC, handler);
    }

    public Router patch(String pattern, Handler handler) {
        return route("PATCH", pattern, Access.PUBLIC, handler);
    }

    public Router delete(String pattern, Handler handler) {
        return route("DELETE", pattern, Access.PUBLIC, handler);
    }

    public Router get(String pattern, Access access, Handler handler) {
        return route("GET", pattern, access, handler);
    }

    public Router post(String pattern, Access access, Handler handler) {
        return route("POST", pattern, access, handler);
    }

    public Router put(String pattern, Access access, Handler handler) {
        return route("PUT", pattern, access, handler);
    }

    public Router patch(String pattern, Access access, Handler handler) {
        return route("PATCH", pattern, access, handler);
    }

    public Router delete(String pattern, Access access, Handler handler) {
        return route("DELETE", pattern, access, handler);
    }

    public synchronized Router route(String method, String pattern, Access access, Handler handler) {
        for (Route existing : routes) {
            if (existing.method().equals(method) && existing.pattern().equals(pattern)) {
                throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
            }
        }
        routes.add(new Route(method, pattern, access, handler));
        return this;
    }

    /**
     * How the {@link Access} of a route is checked, before its handler. Until one is set, a route that needs
     * credentials fails closed (500): it is a wiring mistake, never an open door.
     */
    public Router accessCheck(AccessCheck check) {
        accessCheck = check;
        return this;
    }

    /** The security headers on every answer (HSTS on an https origin); plain http's until set. */
    public Router securityHeaders(SecurityHeaders headers) {
        securityHeaders = headers;
        return this;
    }

    /** Once {@code draining} has started, every answer closes its connection, so keep-alive clients reconnect elsewhere. */
    public Router draining(Draining draining) {
        this.draining = draining;
        return this;
    }

    /** Runs before every matched handler (e.g. a CSRF check); may answer and so end the request. */
    public Router beforeEach(Handler filter) {
        beforeEach.add(filter);
        return this;
    }

    /** Told of every request after it has been answered (metrics); runs after the exchange is closed. */
    public Router afterEach(RequestObserver observer) {
        afterEach.add(observer);
        return this;
    }

    /**
     * Gets the first chance to answer a request that matches no route (e.g. an HTML 404 page for browsers);
     * when it does not respond, the usual problem+json 404 follows.
     */
    public Router notFound(Handler handler) {
        notFound = handler;
        return this;
    }

    /**
     * Failures of requests whose path {@code paths} accepts are written by {@code writer} instead of as problem+json (the
     * backend API under /v1 answers Clerk's error shape); status and headers stay those of the one failure table.
     */
    public synchronized Router errorBody(java.util.function.Predicate<String> paths,
                                         java.util.function.BiConsumer<HttpCall, Problem> writer) {
        this.errorBody = writer;
        this.errorBodyPaths = paths;
        return this;
    }

    /** Every route, for documentation and for tests that must cover them all. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String requestId = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Request-Id"))
                .filter(id -> SAFE_REQUEST_ID.matcher(id).matches())
                .orElseGet(Router::newRequestId);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        HttpCall call = null;
        Route route = null;
        try {
            exchange.getResponseHeaders().set("X-Request-Id", requestId);
            securityHeaders.everyAnswer(exchange.getResponseHeaders());
            // the JDK server closes the connection after an answer that says so
            if (draining.started()) exchange.getResponseHeaders().set("Connection", "close");
            Match match = find(method, path);
            route = match.route();
            call = new HttpCall(exchange, json, maxBodyBytes, requestId, match.params(), proxies);
            try {
                if (match.route() == null && match.allowed().isEmpty()) {
                    notFoundHandler().handle(call);
                    if (call.responded()) return;
                }
                if (match.route() == null) {
                    throw match.allowed().isEmpty()
                            ? new HttpProblem(404, "Not Found", "No resource at " + truncate(path) + ".")
                            : new HttpProblem(405, "Method Not Allowed",
                                    method + " is not supported here; use " + String.join(", ", match.allowed()) + ".",
                                    List.of(), Map.of("Allow", String.join(", ", match.allowed())));
                }
                for (Handler filter : beforeEach) {
                    filter.handle(call);
                    if (call.responded()) return;
                }
                // Credentials before anything reads the body: a refused caller learns 401/403, never 415/422.
                accessCheck.check(call, match.route().access());
                match.route().handler().handle(call);
                if (!call.responded()) call.noContent();
            } catch (Throwable failure) {
                answerFailure(call, failure, method, path, requestId);
            }
        } finally {
            int status = call == null ? 500 : call.status();
            boolean aborted = call != null && call.aborted();
            try {
                // Logging after close() keeps the connection's next request from waiting on the logger's lock,
                // whose holder may be a carrier thread the OS has just preempted.
                if (!aborted) close(exchange);
            } finally {
                long nanos = System.nanoTime() - started;
                log.info("{} {} {}{} {}ms rid={}", method, truncate(path), status, aborted ? " aborted" : "",
                        nanos / 1_000_000, requestId);
                for (RequestObserver observer : afterEach) observer.completed(call, route, method, status, nanos);
            }
            // Closing would end the chunked body as if complete; the JDK server cuts the connection instead.
            if (aborted) throw new AbortedResponse(requestId);
        }
    }

    /** Thrown to the JDK server for an answer cut short: it closes the connection without finishing the body. */
    static final class AbortedResponse extends RuntimeException {
        AbortedResponse(String requestId) {
            super("answer cut short rid=" + requestId, null, false, false);
        }
    }

    /**
     * Ends the exchange, at most {@link #CONCURRENT_CLOSES} at a time: the JDK's close() takes a monitor that its
     * dispatcher thread also takes (ServerImpl.addEvent), and a queue of virtual threads blocked there stalls every
     * connection; a semaphore hands over directly. Nothing under it waits on the client: the response is already
     * flushed ({@link HttpCall#send}) and the request body is drained before.
     */
    private void close(HttpExchange exchange) {
        try (InputStream body = exchange.getRequestBody()) {
            // At the body's end already, read() only notes it, so close() skips allocating its drain buffer;
            // otherwise close() drains what is left.
            body.read();
        } catch (IOException e) {
            // the client went away: close() below closes the connection
        }
        closes.acquireUninterruptibly();
        try {
            exchange.close();
        } finally {
            closes.release();
        }
    }

    /**
     * RFC 6750 challenges: every 401 names the Bearer scheme, with {@code invalid_token} when a credential was
     * sent; a 403 to a Bearer caller is {@code insufficient_scope}; unless the failure brought a challenge of its own.
     */
    private static void challenge(HttpCall call, int status) {
        // a route that says more (forward-auth's scope=, introspection's Basic) set its own challenge: it stands
        if (call.responseHeaders().containsKey("WWW-Authenticate")) return;
        boolean sentCredentials = call.header("Authorization").isPresent();
        if (status == 401) {
            call.setHeader("WWW-Authenticate", sentCredentials
                    ? "Bearer realm=\"orgkeys\", error=\"invalid_token\"" : "Bearer realm=\"orgkeys\"");
        } else if (status == 403 && sentCredentials) {
            call.setHeader("WWW-Authenticate", "Bearer realm=\"orgkeys\", error=\"insufficient_scope\"");
        }
    }

    /**
     * A random, UUID-shaped id. Request ids need to be unique, not unguessable: ThreadLocalRandom avoids the
     * shared, synchronized SecureRandom behind UUID.randomUUID() on every request.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    private void answerFailure(HttpCall call, Throwable failure, String method, String path, String requestId) {
        if (failure instanceof Error error && !(failure instanceof StackOverflowError)) throw error;
        Problems.Answer answer = Problems.answerFor(failure, truncate(path), requestId);
        if (answer.problem().status() >= 500) {
            if (answer.problem().status() == 503) {
                log.warn("{} {} unavailable rid={}: {}", method, truncate(path), requestId, failure.getMessage());
            } else {
                log.error("{} {} failed rid={}", method, truncate(path), requestId, failure);
            }
        }
        if (call.responded()) return; // too late to change the answer; the log line tells what happened
        answer.headers().forEach(call::setHeader);
        challenge(call, answer.problem().status());
        if (errorBodyPaths != null && errorBodyPaths.test(path)) {
            errorBody.accept(call, answer.problem());
        } else {
            call.problem(answer.problem());
        }
    }

    private Handler notFoundHandler() {
        return notFound;
    }

    private record Match(Route route, Map<String, String> params, Set<String> allowed) {
    }

    private Match find(String method, String path) {
        List<String> segments = Route.split(path);
        Set<String> allowed = null;
        for (Route route : routes) {
            Map<String, String> params = route.match(segments);
            if (params == null) continue;
            if (route.method().equals(method)) return new Match(route, params, Set.of());
            if (allowed == null) allowed = new LinkedHashSet<>();
            allowed.add(route.method());
        }
        return new Match(null, Map.of(), allowed == null ? Set.of() : allowed);
    }

    private static String truncate(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200) + "…";
    }
}
