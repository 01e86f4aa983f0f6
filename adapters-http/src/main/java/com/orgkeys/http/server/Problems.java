package com.orgkeys.http.server;

import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.DomainException;
import com.orgkeys.domain.shared.EmailNotVerifiedException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.TwoFactorRequiredException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.domain.shared.UnavailableException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table from failure to HTTP answer: the status, the problem type and title of the problem+json body,
 * and the heading of the dashboard's error page. Everything not listed here is a logged 500.
 */
public final class Problems {
    private Problems() {
    }

    /** What to send for a failure: the problem body plus extra headers. */
    public record Answer(Problem problem, Map<String, String> headers) {
    }

    /** One status: its problem type's slug, its problem title, and the heading a person sees on an error page. */
    private record Kind(String slug, String title, String pageTitle) {
    }

    private static final Map<Integer, Kind> KINDS = Map.ofEntries(
            Map.entry(400, new Kind("bad-request", "Bad Request", "Bad request")),
            Map.entry(401, new Kind("unauthenticated", "Unauthorized", "Please sign in")),
            Map.entry(403, new Kind("forbidden", "Forbidden", "Not allowed")),
            Map.entry(404, new Kind("not-found", "Not Found", "Page not found")),
            Map.entry(405, new Kind("method-not-allowed", "Method Not Allowed", "Error")),
            Map.entry(409, new Kind("conflict", "Conflict", "Conflict")),
            Map.entry(413, new Kind("content-too-large", "Content Too Large", "Too large")),
            Map.entry(415, new Kind("unsupported-media-type", "Unsupported Media Type", "Error")),
            Map.entry(422, new Kind("validation-error", "Unprocessable Content", "Invalid input")),
            Map.entry(429, new Kind("rate-limited", "Too Many Requests", "Too many attempts")),
            Map.entry(503, new Kind("unavailable", "Service Unavailable", "Something went wrong")));

    /** A 403 of its own: the user may do this once their email is verified, and is told how. */
    public static final String EMAIL_NOT_VERIFIED = "urn:orgkeys:problem:email-not-verified";

    /**
     * A 403 of its own: the active organization requires two-factor sign-in, which the user has not set up; the
     * detail says how to enroll.
     */
    public static final String TWO_FACTOR_REQUIRED = "urn:orgkeys:problem:two-factor-required";

    /** The status that answers {@code failure}; 500 for anything unexpected. */
    public static int status(Throwable failure) {
        return switch (failure) {
            case HttpProblem p -> p.status();
            // no default: a new kind of domain failure does not compile until it has its row here
            case DomainException d -> switch (d) {
                case InvalidInputException e -> 422;
                case NotFoundException e -> 404;
                case ForbiddenException e -> 403;
                case ConflictException e -> 409;
                case UnauthenticatedException e -> 401;
                case RateLimitedException e -> 429;
                case UnavailableException e -> 503;
            };
            default -> 500;
        };
    }

    /** The headers that go with the answer to {@code failure}: when to try again after a 429 or a 503. */
    public static Map<String, String> headers(Throwable failure) {
        return switch (failure) {
            case HttpProblem p -> p.headers();
            case RateLimitedException e -> rateLimitHeaders(e);
            case UnavailableException e -> Map.of("Retry-After", "5");
            default -> Map.of();
        };
    }

    /**
     * Retry-After, and for a quota a client may know (an API key's rate limit) the RateLimit-Policy and RateLimit
     * fields of draft-ietf-httpapi-ratelimit-headers (-11: a policy named "key", q requests per w seconds; r left,
     * t seconds until the window resets).
     */
    private static Map<String, String> rateLimitHeaders(RateLimitedException e) {
        long retryAfter = Math.max(1, e.retryAfter().toSeconds());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(retryAfter));
        e.quota().ifPresent(quota -> {
            headers.put("RateLimit-Policy", "\"key\";q=" + quota.limit() + ";w=" + quota.windowSeconds());
            headers.put("RateLimit", "\"key\";r=" + quota.remaining() + ";t=" + retryAfter);
        });
        return headers;
    }

    /** The heading of the dashboard's error page for {@code status}. */
    public static String pageTitle(int status) {
        Kind kind = KINDS.get(status);
        if (kind != null) return kind.pageTitle();
        return status >= 500 ? "Something went wrong" : "Error";
    }

    public static Answer answerFor(Throwable failure, String path, String requestId) {
        int status = status(failure);
        Map<String, String> headers = headers(failure);
        return switch (failure) {
            case HttpProblem p -> answer(status, p.title(), p.getMessage(), path, p.errors(), requestId, headers);
            case InvalidInputException e -> answer(status, KINDS.get(status).title(), "The request has invalid fields.",
                    path, e.errors(), requestId, headers);
            case EmailNotVerifiedException e -> new Answer(new Problem(EMAIL_NOT_VERIFIED, "Email Not Verified", status,
                    e.getMessage() + " Over the API: POST /api/auth/verify-email with {\"code\": \"123456\"} (or the "
                            + "link's token), POST /api/auth/verify-email/resend for a new mail.",
                    path, List.of(), requestId), new LinkedHashMap<>(headers));
            case TwoFactorRequiredException e -> new Answer(new Problem(TWO_FACTOR_REQUIRED, "Two-Factor Sign-In Required",
                    status, e.getMessage(), path, List.of(), requestId), new LinkedHashMap<>(headers));
            case DomainException d -> answer(status, KINDS.get(status).title(), d.getMessage(), path, List.of(),
                    requestId, headers);
            default -> new Answer(new Problem("urn:orgkeys:problem:internal-error", "Internal Server Error", 500,
                    "Something went wrong on our side. Quote request id " + requestId + " when reporting it.",
                    path, List.of(), requestId), new LinkedHashMap<>());
        };
    }

    private static Answer answer(int status, String title, String detail, String path, List<FieldError> errors,
                                 String requestId, Map<String, String> headers) {
        Kind kind = KINDS.get(status);
        String slug = kind != null ? kind.slug() : "http-" + status;
        var problem = new Problem("urn:orgkeys:problem:" + slug, title, status, detail, path, errors, requestId);
        return new Answer(problem, new LinkedHashMap<>(headers));
    }

    public static List<FieldError> field(String field, String message) {
        return List.of(new FieldError(field, message));
    }
}
