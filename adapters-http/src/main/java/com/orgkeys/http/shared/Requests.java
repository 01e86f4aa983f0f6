package com.orgkeys.http.shared;

import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.server.HttpCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Query-string helpers shared by the routes. */
public final class Requests {
    private Requests() {
    }

    /** {@code initialPage} (default 1) and {@code pageSize} (default 10), 422 naming the field when invalid. */
    public static PageRequest page(HttpCall call) {
        List<FieldError> errors = new ArrayList<>();
        int page = intParam(call, "initialPage", 1, errors);
        int size = intParam(call, "pageSize", 10, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return new PageRequest(page, size);
    }

    public static int intParam(HttpCall call, String name, int fallback, List<FieldError> errors) {
        Optional<String> value = call.queryParam(name);
        if (value.isEmpty() || value.get().isEmpty()) return fallback;
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, "must be a whole number"));
            return fallback;
        }
    }
}
