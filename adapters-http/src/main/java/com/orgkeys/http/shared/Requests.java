package com.orgkeys.http.shared;

import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.server.HttpCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Query-string and path helpers shared by the API routes and the dashboard pages. */
public final class Requests {
    private Requests() {
    }

    /** The API's names for a {@link PageRequest}'s fields: {@code initialPage} and {@code pageSize}. */
    public static final FieldNames API_PAGE_FIELDS = FieldNames.of("page", "initialPage");

    /** {@code initialPage} (default 1) and {@code pageSize} (default 10), 422 naming the field when invalid. */
    public static PageRequest page(HttpCall call) {
        List<FieldError> errors = new ArrayList<>();
        int page = intParam(call, API_PAGE_FIELDS.name("page"), 1, errors);
        int size = intParam(call, API_PAGE_FIELDS.name("pageSize"), 10, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return API_PAGE_FIELDS.call(() -> new PageRequest(page, size));
    }

    /**
     * The dashboard's page parameter, which its pager links carry: the core's name, {@code page}. Not the API's
     * {@code initialPage}: the links are what people bookmark and edit, so a value that is no usable page shows the
     * nearest one (a bad number, page 1) instead of an error, unlike the API's contract, where it is a 422.
     */
    public static final String DASHBOARD_PAGE = FieldNames.CORE.name("page");

    /** The dashboard list page asked for: 1–1,000,000 (the range {@link PageRequest} takes), 1 when unusable. */
    public static int dashboardPage(HttpCall call) {
        int page = intParam(call, DASHBOARD_PAGE, 1, new ArrayList<>()); // a bad number is page 1, not an error
        return Math.max(1, Math.min(PageRequest.MAX_PAGE, page));
    }

    /** An API key list's status filter ({@code active}, {@code revoked}, {@code expired}); "all" or none is empty. */
    public static Optional<ApiKeyStatus> apiKeyStatus(Optional<String> text) {
        if (text.isEmpty() || text.get().isEmpty() || text.get().equals("all")) return Optional.empty();
        for (ApiKeyStatus status : ApiKeyStatus.values()) if (status.value().equals(text.get())) return Optional.of(status);
        throw new InvalidInputException("status", "must be one of active, revoked, expired, all");
    }

    /**
     * Path parameter {@code name} as a UUID-based id; one that is not a UUID answers 404 like an id that names
     * nothing ("{@code what} {@code value}."), so a malformed id tells a caller no more than an unknown one.
     */
    public static <T> T pathId(HttpCall call, String name, Function<UUID, T> id, String what) {
        String value = call.pathParam(name);
        try {
            return id.apply(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(what + " " + value + ".");
        }
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
