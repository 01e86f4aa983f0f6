package com.orgkeys.http.server;

import com.orgkeys.domain.shared.FieldError;

import java.util.List;
import java.util.Map;

/** A protocol-level failure found by the HTTP adapter itself (bad JSON, wrong media type, body too big…). */
public final class HttpProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public HttpProblem(int status, String title, String detail) {
        this(status, title, detail, List.of(), Map.of());
    }

    public HttpProblem(int status, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
