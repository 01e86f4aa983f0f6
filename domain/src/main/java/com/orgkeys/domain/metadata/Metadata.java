package com.orgkeys.domain.metadata;

import com.orgkeys.domain.shared.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Clerk's metadata ({@code public_metadata}, {@code private_metadata}, {@code unsafe_metadata} of a user, and later of
 * an organization): a JSON object of at most {@link #MAX_BYTES} bytes. {@code values} is the object as a tree of JDK
 * types (maps, lists, strings, numbers, booleans, null), {@code json} its compact serialization, written by the
 * adapters' JSON library (never by hand here): what is stored and what the size limit counts.
 * <p>
 * Strings and keys may not contain NUL: PostgreSQL's jsonb cannot hold {@code \u0000}, and no tenant needs it.
 */
public record Metadata(Map<String, Object> values, String json) {
    /** Clerk's limit on each of a user's metadata objects. */
    public static final int MAX_BYTES = 8192;
    /** Deeper nesting than this is no metadata anyone reads; bounded so that walking a tree cannot overflow the stack. */
    public static final int MAX_DEPTH = 16;

    public static final Metadata EMPTY = new Metadata(Map.of(), "{}");

    public Metadata {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(json, "json");
        values = frozen("metadata", values, 1);
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException("metadata", "must be at most " + MAX_BYTES + " bytes of JSON");
        }
    }

    /**
     * The metadata {@code value} (as a JSON parser gives it: a map for an object) for the field {@code field}, checked:
     * a JSON object, no NUL, at most {@link #MAX_DEPTH} levels and {@link #MAX_BYTES} bytes as {@code json} writes it.
     */
    public static Metadata of(String field, Object value, Function<Map<String, Object>, String> json) {
        if (!(value instanceof Map<?, ?> map)) throw new InvalidInputException(field, "must be a JSON object");
        Map<String, Object> tree = frozen(field, map, 1);
        String text = json.apply(tree);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException(field, "must be at most " + MAX_BYTES + " bytes of JSON");
        }
        return new Metadata(tree, text);
    }

    /**
     * Clerk's merge ({@code PATCH .../metadata}): {@code patch}'s keys replace this object's, objects in both are
     * merged the same way at every level, and a key whose value in {@code patch} is null is removed. The result is
     * checked as {@link #of} checks any metadata.
     */
    public Metadata merge(String field, Object patch, Function<Map<String, Object>, String> json) {
        if (!(patch instanceof Map<?, ?> map)) throw new InvalidInputException(field, "must be a JSON object");
        return of(field, merged(values, frozen(field, map, 1)), json);
    }

    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            Object value = entry.getValue();
            Object old = result.get(entry.getKey());
            if (value == null) {
                result.remove(entry.getKey());
            } else if (value instanceof Map<?, ?> inner && old instanceof Map<?, ?> existing) {
                result.put(entry.getKey(), merged(cast(existing), cast(inner)));
            } else {
                result.put(entry.getKey(), value);
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A deep, unmodifiable copy that holds only JSON's types, without NUL, at most MAX_DEPTH deep. */
    private static Map<String, Object> frozen(String field, Map<?, ?> map, int depth) {
        if (depth > MAX_DEPTH) throw new InvalidInputException(field, "may nest at most " + MAX_DEPTH + " levels");
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) throw new InvalidInputException(field, "must be a JSON object");
            copy.put(noNul(field, key), value(field, entry.getValue(), depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object value(String field, Object value, int depth) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new InvalidInputException(field, "must hold only finite numbers"); // JSON has no Infinity or NaN
        }
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Double || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof String text) return noNul(field, text);
        if (value instanceof Map<?, ?> map) return frozen(field, map, depth + 1);
        if (value instanceof List<?> list) {
            if (depth + 1 > MAX_DEPTH) throw new InvalidInputException(field, "may nest at most " + MAX_DEPTH + " levels");
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) copy.add(value(field, item, depth + 1));
            return Collections.unmodifiableList(copy);
        }
        throw new InvalidInputException(field, "must hold only JSON values");
    }

    private static String noNul(String field, String text) {
        if (text.indexOf('\0') >= 0) throw new InvalidInputException(field, "must not contain NUL characters");
        return text;
    }
}
