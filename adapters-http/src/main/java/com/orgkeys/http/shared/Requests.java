package com.orgkeys.http.shared;

import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
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

    /**
     * {@code initialPage} (default 1) or a {@code cursor} (from a previous page), and {@code pageSize} (default 10),
     * 422 naming the field when invalid: a cursor with an {@code initialPage}, or one this server did not make.
     */
    public static PageRequest page(HttpCall call) {
        List<FieldError> errors = new ArrayList<>();
        String pageName = API_PAGE_FIELDS.name("page");
        int page = intParam(call, pageName, 1, errors);
        int size = intParam(call, API_PAGE_FIELDS.name("pageSize"), 10, errors);
        Optional<Cursor> cursor = Optional.empty();
        Optional<String> cursorText = call.queryParam(Cursor.FIELD).filter(c -> !c.isEmpty());
        if (cursorText.isPresent()) {
            if (call.queryParam(pageName).filter(p -> !p.isEmpty()).isPresent()) {
                errors.add(new FieldError(Cursor.FIELD, "use either cursor or initialPage"));
            } else {
                try {
                    cursor = Optional.of(Cursor.decode(cursorText.get()));
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                }
            }
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Optional<Cursor> from = cursor;
        return API_PAGE_FIELDS.call(() -> new PageRequest(from.isPresent() ? 1 : page, size, from));
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

    /**
     * The dashboard's page: its {@code cursor} link if it carries a usable one, else its page number. A cursor
     * that is no cursor is the first page, as a bad page number is (links are bookmarked); one from another list
     * or other filters is refused by the list, and {@link #firstPageOnStaleCursor} shows the first page then.
     */
    public static PageRequest dashboardPage(HttpCall call, int pageSize) {
        Optional<String> text = call.queryParam(Cursor.FIELD).filter(c -> !c.isEmpty());
        if (text.isPresent()) {
            try {
                return PageRequest.at(Cursor.decode(text.get()), pageSize);
            } catch (InvalidInputException e) {
                return PageRequest.first(pageSize);
            }
        }
        return new PageRequest(Math.min(dashboardPage(call), PageRequest.MAX_OFFSET / pageSize + 1), pageSize);
    }

    /** Loads {@code request}, or the first page when the list refuses its cursor (stale: other filters, another list). */
    public static <T> Page<T> firstPageOnStaleCursor(PageRequest request, Function<PageRequest, Page<T>> load) {
        try {
            return load.apply(request);
        } catch (InvalidInputException e) {
            boolean cursorRefused = request.cursor().isPresent()
                    && e.errors().stream().allMatch(error -> error.field().equals(Cursor.FIELD));
            if (!cursorRefused) throw e;
            return load.apply(PageRequest.first(request.pageSize()));
        }
    }

    /** An API key list's status filter ({@code active}, {@code revoked}, {@code expired}); "all" or none is empty. */
    public static Optional<ApiKeyStatus> apiKeyStatus(Optional<String> text) {
        if (text.isEmpty() || text.get().isEmpty() || text.get().equals("all")) return Optional.empty();
        for (ApiKeyStatus status : ApiKeyStatus.values()) if (status.value().equals(text.get())) return Optional.of(status);
        throw new InvalidInputException("status", "must be one of active, disabled, revoked, expired, all");
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
