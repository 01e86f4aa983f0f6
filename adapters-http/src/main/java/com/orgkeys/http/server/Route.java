package com.orgkeys.http.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A method plus a path pattern such as {@code /api/agents/{id}}; {@code {name}} matches one path segment. */
public record Route(String method, String pattern, Handler handler) {
    public Route {
        if (!pattern.startsWith("/")) throw new IllegalArgumentException("pattern must start with /: " + pattern);
    }

    List<String> segments() {
        return split(pattern);
    }

    /** The path parameters when {@code rawPath} matches, empty otherwise. */
    Optional<Map<String, String>> match(String rawPath) {
        List<String> expected = segments();
        List<String> actual = split(rawPath);
        if (expected.size() != actual.size()) return Optional.empty();
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String got = actual.get(i);
            if (want.startsWith("{") && want.endsWith("}")) {
                String value = decode(got);
                if (value == null || value.isEmpty()) return Optional.empty();
                params.put(want.substring(1, want.length() - 1), value);
            } else if (!want.equals(got)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static List<String> split(String path) {
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
}
