package com.orgkeys.http.backend;

import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backend API's error body, Clerk's shape ({@code {errors:[{code, message, long_message, meta}], clerk_trace_id}}),
 * which {@code @clerk/backend} turns into a {@code ClerkAPIResponseError}. Status and headers come from the one
 * failure table ({@code Problems}); only the body differs. One error per invalid field, as Clerk does.
 */
public final class ClerkErrors {
    private static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(400, "bad_request"), Map.entry(401, "authentication_invalid"),
            Map.entry(403, "authorization_invalid"), Map.entry(404, "resource_not_found"),
            Map.entry(405, "method_not_allowed"), Map.entry(409, "conflict"),
            Map.entry(413, "request_body_too_large"), Map.entry(415, "unsupported_media_type"),
            Map.entry(422, "form_param_invalid"), Map.entry(429, "too_many_requests"),
            Map.entry(503, "service_unavailable"));

    record ErrorJson(String code, String message, String long_message, Map<String, String> meta) {
    }

    record ErrorsJson(List<ErrorJson> errors, String clerk_trace_id) {
    }

    private ClerkErrors() {
    }

    /** For {@code Router#errorBody}: writes {@code problem} in Clerk's shape, with the same status. */
    public static void write(HttpCall call, Problem problem) {
        String code = CODES.getOrDefault(problem.status(), problem.status() >= 500 ? "internal_error" : "request_invalid");
        List<ErrorJson> errors = new ArrayList<>();
        List<FieldError> fields = problem.errors() == null ? List.of() : problem.errors();
        for (FieldError field : fields) {
            errors.add(new ErrorJson(code, field.field() + " " + field.message(), field.field() + " " + field.message(),
                    Map.of("param_name", field.field())));
        }
        if (errors.isEmpty()) errors.add(new ErrorJson(code, problem.title(), problem.detail(), Map.of()));
        call.json(problem.status(), new ErrorsJson(errors, problem.requestId()));
    }

    /** One error with a Clerk code of its own, for the few cases a backend tells apart by code, not by status. */
    public static void write(HttpCall call, int status, String code, String message, String longMessage) {
        call.json(status, new ErrorsJson(List.of(new ErrorJson(code, message, longMessage, Map.of())), call.requestId()));
    }
}
