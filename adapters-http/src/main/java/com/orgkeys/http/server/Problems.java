package com.orgkeys.http.server;

import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.DomainException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.domain.shared.UnavailableException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one table from failure to HTTP answer. Everything not listed here is a logged 500. */
public final class Problems {
    private Problems() {
    }

    /** What to send for a failure: the problem body plus extra headers. */
    public record Answer(Problem problem, Map<String, String> headers) {
    }

    public static Answer answerFor(Throwable failure, String path, String requestId) {
        return switch (failure) {
            case HttpProblem p -> answer(p.status(), slug(p.status()), p.title(), p.getMessage(), path,
                    p.errors(), requestId, p.headers());
            case DomainException d -> forDomain(d, path, requestId);
            default -> answer(500, "internal-error", "Internal Server Error",
                    "Something went wrong on our side. Quote request id " + requestId + " when reporting it.",
                    path, List.of(), requestId, Map.of());
        };
    }

    private static Answer forDomain(DomainException failure, String path, String requestId) {
        String detail = failure.getMessage();
        return switch (failure) {
            case InvalidInputException e -> answer(422, "validation-error", "Unprocessable Content",
                    "The request has invalid fields.", path, e.errors(), requestId, Map.of());
            case NotFoundException e -> answer(404, "not-found", "Not Found", detail, path, List.of(), requestId, Map.of());
            case ForbiddenException e -> answer(403, "forbidden", "Forbidden", detail, path, List.of(), requestId, Map.of());
            case ConflictException e -> answer(409, "conflict", "Conflict", detail, path, List.of(), requestId, Map.of());
            case UnauthenticatedException e -> answer(401, "unauthenticated", "Unauthorized", detail, path, List.of(),
                    requestId, Map.of());
            case RateLimitedException e -> answer(429, "rate-limited", "Too Many Requests", detail, path, List.of(),
                    requestId, Map.of("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds()))));
            case UnavailableException e -> answer(503, "unavailable", "Service Unavailable", detail, path, List.of(),
                    requestId, Map.of("Retry-After", "5"));
        };
    }

    private static Answer answer(int status, String slug, String title, String detail, String path,
                                 List<FieldError> errors, String requestId, Map<String, String> headers) {
        var problem = new Problem("urn:orgkeys:problem:" + slug, title, status, detail, path, errors, requestId);
        return new Answer(problem, new LinkedHashMap<>(headers));
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "content-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "validation-error";
            case 429 -> "rate-limited";
            case 503 -> "unavailable";
            default -> "http-" + status;
        };
    }

    public static List<FieldError> field(String field, String message) {
        return List.of(new FieldError(field, message));
    }
}
