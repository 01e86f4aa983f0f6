package com.orgkeys.http.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A method plus a path pattern such as {@code /api/agents/{id}}; {@code {name}} matches one path segment. The
 * route declares who may call it ({@link Access}); the router checks that before the handler runs.
 */
public final class Route {
    private final String method;
    private final String pattern;
    private final Access access;
    private final Handler handler;
    private final List<String> segments; // split once: matching runs on every request

    public Route(String method, String pattern, Access access, Handler handler) {
        if (!pattern.startsWith("/")) throw new IllegalArgumentException("pattern must start with /: " + pattern);
        this.method = Objects.requireNonNull(method, "method");
        this.pattern = pattern;
        this.access = Objects.requireNonNull(access, "access");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.segments = split(pattern);
    }

    public String method() {
        return method;
    }

    public String pattern() {
        return pattern;
    }

    public Access access() {
        return access;
    }

    public Handler handler() {
        return handler;
    }

    /** The path parameters when the request path's segments match, null otherwise. */
    Map<String, String> match(List<String> actual) {
        if (segments.size() != actual.size()) return null;
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            String want = segments.get(i);
            String got = actual.get(i);
            if (want.startsWith("{") && want.endsWith("}")) {
                String value = decode(got);
                if (value == null || value.isEmpty()) return null;
                if (params == null) params = new HashMap<>(4);
                params.put(want.substring(1, want.length() - 1), value);
            } else if (!want.equals(got)) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    static List<String> split(String path) {
        if (path.equals("/")) return List.of();
        // keep empty segments ("//", trailing "/") so that they never match a pattern by accident
        return List.of(path.substring(1).split("/", -1));
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return method + " " + pattern;
    }
}
