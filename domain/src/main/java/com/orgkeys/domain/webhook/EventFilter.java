package com.orgkeys.domain.webhook;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The event types an endpoint receives; empty means every type. */
public record EventFilter(Set<String> types) {
    public static final EventFilter ALL = new EventFilter(Set.of());
    public static final int MAX_TYPES = 50;
    private static final Pattern TYPE = Pattern.compile("[a-zA-Z]{1,40}\\.[a-zA-Z]{1,40}");

    public EventFilter {
        if (types == null) types = Set.of();
        if (types.size() > MAX_TYPES) throw new InvalidInputException("eventTypes", "at most 50 types");
        for (String type : types) {
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new InvalidInputException("eventTypes", "each type is like apiKey.created");
            }
        }
        types = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(types));
    }

    public boolean matches(String type) {
        return types.isEmpty() || types.contains(type);
    }
}
