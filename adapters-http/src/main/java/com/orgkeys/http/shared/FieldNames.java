package com.orgkeys.http.shared;

import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an adapter calls the core's input fields where its names differ (the API's {@code initialPage} is the
 * core's {@code page}): the core's field errors are renamed through it, so each client reads its own names.
 */
public final class FieldNames {
    /** The core's names, unchanged. */
    public static final FieldNames CORE = new FieldNames(Map.of());

    private final Map<String, String> names;

    private FieldNames(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    /** Pairs of names: the core's, then the adapter's. */
    public static FieldNames of(String... coreThenOwn) {
        if (coreThenOwn.length % 2 != 0) throw new IllegalArgumentException("pairs of core and own names");
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < coreThenOwn.length; i += 2) names.put(coreThenOwn[i], coreThenOwn[i + 1]);
        return new FieldNames(names);
    }

    /** What this adapter calls the core's {@code field}. */
    public String name(String field) {
        return names.getOrDefault(field, field);
    }

    public List<FieldError> rename(List<FieldError> errors) {
        return errors.stream().map(e -> new FieldError(name(e.field()), e.message())).toList();
    }

    /** Runs {@code action}; field errors it throws name this adapter's fields. */
    public <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(rename(e.errors()));
        }
    }
}
