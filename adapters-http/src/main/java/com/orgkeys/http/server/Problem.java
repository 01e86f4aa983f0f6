package com.orgkeys.http.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.orgkeys.domain.shared.FieldError;

import java.util.List;

/** An RFC 9457 problem details body. {@code type} is a stable URN per kind of problem. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, String requestId) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
