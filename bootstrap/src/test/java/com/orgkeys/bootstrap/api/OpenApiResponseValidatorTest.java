package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator that {@link Api} runs on every answer catches each kind of disagreement with the document,
 * and accepts answers that agree: without this, a validator that let everything through would look the same.
 */
class OpenApiResponseValidatorTest {
    static final OpenApiResponseValidator validator = OpenApiResponseValidator.SERVED;
    static final String REQUEST_ID = "3f1c2a4e-8b7d-4c6e-9f01-23456789abcd";
    static final String KEY_ID = "7d0b4c1e-2f3a-4b5c-8d9e-0a1b2c3d4e5f";
    static final String ORG_ID = "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b";

    static Map<String, List<String>> headers(String... nameValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Request-Id", List.of(REQUEST_ID));
        for (int i = 0; i < nameValues.length; i += 2) headers.put(nameValues[i], List.of(nameValues[i + 1]));
        return headers;
    }

    static String apiKey(String extra) {
        return "{\"id\":\"" + KEY_ID + "\",\"name\":\"ci\",\"description\":\"\",\"organizationId\":\"" + ORG_ID + "\","
                + "\"scopes\":[\"org:agents:read\"],\"hint\":\"ok_Ab…xyz\",\"createdBy\":\"" + ORG_ID + "\","
                + "\"createdAt\":\"2026-01-02T03:04:05Z\",\"expiresAt\":null,\"lastUsedAt\":null,\"status\":\"active\","
                + "\"revokedAt\":null,\"revocationReason\":null,\"disabledAt\":null,\"updatedAt\":\"2026-01-02T03:04:05Z\","
                + "\"rotatedAt\":null,\"previousSecretExpiresAt\":null,\"allowlist\":[],\"rateLimit\":null,"
                + "\"subject\":{\"type\":\"organization\",\"id\":\"" + ORG_ID + "\"}" + extra + "}";
    }

    static final String SECRET = ",\"secret\":\"ok_" + "a".repeat(49) + "\"";

    static List<String> created(Map<String, List<String>> headers, String body) {
        return validator.validate("POST", "/api/api-keys", 201, headers, body);
    }

    @Test
    void a_created_key_with_its_secret_and_null_timestamps_conforms() {
        var problems = created(headers("Content-Type", "application/json", "Location", "/api/api-keys/" + KEY_ID), apiKey(SECRET));
        assertEquals(List.of(), problems);
    }

    @Test
    void a_key_with_traffic_controls_conforms_and_a_rate_limit_without_its_window_does_not() {
        String limited = apiKey("").replace("\"allowlist\":[],\"rateLimit\":null",
                "\"allowlist\":[\"192.0.2.0/24\"],\"rateLimit\":{\"requests\":100,\"windowSeconds\":60}");
        assertEquals(List.of(), validator.validate("GET", "/api/api-keys/" + KEY_ID, 200,
                headers("Content-Type", "application/json"), limited));
        var problems = validator.validate("GET", "/api/api-keys/" + KEY_ID, 200, headers("Content-Type", "application/json"),
                limited.replace(",\"windowSeconds\":60", ""));
        assertTrue(problems.toString().contains("windowSeconds"), problems.toString());
    }

    @Test
    void a_users_key_conforms_and_a_subject_of_another_type_does_not() {
        String users = apiKey("").replace("\"type\":\"organization\"", "\"type\":\"user\"");
        assertEquals(List.of(), validator.validate("GET", "/api/api-keys/" + KEY_ID, 200,
                headers("Content-Type", "application/json"), users));
        var problems = validator.validate("GET", "/api/api-keys/" + KEY_ID, 200, headers("Content-Type", "application/json"),
                apiKey("").replace("\"type\":\"organization\"", "\"type\":\"team\""));
        assertTrue(problems.toString().contains("subject"), problems.toString());
    }

    @Test
    void a_property_the_schema_does_not_have_is_a_mismatch() {
        var problems = created(headers("Content-Type", "application/json", "Location", "/api/api-keys/" + KEY_ID),
                apiKey(SECRET + ",\"debug\":true"));
        assertTrue(problems.toString().contains("debug"), problems.toString());
    }

    @Test
    void null_where_the_schema_has_no_null_is_a_mismatch() {
        var problems = validator.validate("GET", "/api/api-keys/" + KEY_ID, 200, headers("Content-Type", "application/json"),
                apiKey("").replace("\"name\":\"ci\"", "\"name\":null"));
        assertTrue(problems.toString().contains("name"), problems.toString());
    }

    @Test
    void a_value_outside_its_format_is_a_mismatch() {
        var problems = validator.validate("GET", "/api/api-keys/" + KEY_ID, 200, headers("Content-Type", "application/json"),
                apiKey("").replace("2026-01-02T03:04:05Z", "yesterday"));
        assertTrue(problems.toString().contains("createdAt"), problems.toString());
    }

    @Test
    void a_missing_required_header_is_a_mismatch() {
        var problems = created(Map.of("Content-Type", List.of("application/json"), "Location", List.of("/api/api-keys/x")),
                apiKey(SECRET));
        assertTrue(problems.toString().contains("X-Request-Id"), problems.toString());
        problems = created(headers("Content-Type", "application/json"), apiKey(SECRET));
        assertTrue(problems.toString().contains("Location"), problems.toString());
    }

    @Test
    void a_significant_header_the_response_does_not_document_is_a_mismatch() {
        var problems = validator.validate("GET", "/api/agents", 200, headers("Content-Type", "application/json",
                "Retry-After", "5"), "{\"data\":[],\"totalCount\":0}");
        assertTrue(problems.toString().contains("retry-after"), problems.toString());
    }

    @Test
    void an_undocumented_status_content_type_or_missing_body_is_a_mismatch() {
        // an undocumented 201 falls to the default response, which is a problem, not this JSON
        var status = validator.validate("GET", "/healthz", 201, headers("Content-Type", "application/json"), "{\"status\":\"ok\"}");
        assertTrue(status.toString().contains("problem+json"), status.toString());
        var type = validator.validate("GET", "/healthz", 200, headers("Content-Type", "text/plain"), "ok");
        assertTrue(type.toString().contains("Content-Type"), type.toString());
        var empty = validator.validate("GET", "/healthz", 200, headers(), "");
        assertTrue(empty.toString().contains("promises a body"), empty.toString());
    }

    @Test
    void an_api_path_or_method_missing_from_the_document_is_a_mismatch() {
        var path = validator.validate("GET", "/api/undocumented", 200, headers("Content-Type", "application/json"), "{}");
        assertTrue(path.toString().contains("missing from the document"), path.toString());
        var method = validator.validate("PUT", "/api/agents", 200, headers("Content-Type", "application/json"), "{}");
        assertTrue(method.toString().contains("missing from the document"), method.toString());
        String problem = "{\"type\":\"urn:orgkeys:problem:method-not-allowed\",\"title\":\"Method Not Allowed\","
                + "\"status\":405,\"requestId\":\"" + REQUEST_ID + "\"}";
        assertEquals(List.of(), validator.validate("PUT", "/api/agents", 405,
                headers("Content-Type", "application/problem+json", "Allow", "DELETE, GET, POST"), problem));
        var allow = validator.validate("PUT", "/api/agents", 405,
                headers("Content-Type", "application/problem+json", "Allow", "GET, POST"), problem);
        assertTrue(allow.toString().contains("Allow"), allow.toString());
    }

    @Test
    void the_dashboard_is_outside_the_documents_scope() {
        assertEquals(List.of(), validator.validate("GET", "/settings", 200, Map.of("Content-Type", List.of("text/html")), "<html>"));
        assertTrue(validator.covers("/api/agents") && validator.covers("/healthz") && !validator.covers("/api"));
    }

    static String auditLine(String occurredAt) {
        return "{\"id\":\"" + KEY_ID + "\",\"actor\":\"user:" + ORG_ID + "\",\"action\":\"member.added\",\"target\":\"\","
                + "\"details\":\"\",\"clientAddress\":\"\",\"occurredAt\":\"" + occurredAt + "\"}\n";
    }

    static List<String> exported(String body) {
        return validator.validate("GET", "/api/audit-events/export", 200, headers("Content-Type", "application/x-ndjson",
                "Content-Disposition", "attachment; filename=\"audit-events-" + ORG_ID + ".jsonl\""), body);
    }

    @Test
    void json_lines_are_checked_one_by_one_against_the_schema() {
        assertEquals(List.of(), exported(auditLine("2026-01-02T03:04:05Z") + auditLine("2026-01-02T03:04:06.5Z")));
        assertEquals(List.of(), exported(""), "no events: no lines");
        var problems = exported(auditLine("2026-01-02T03:04:05Z") + auditLine("yesterday"));
        assertTrue(problems.toString().contains("line 2") && problems.toString().contains("occurredAt"), problems.toString());
        problems = exported(auditLine("2026-01-02T03:04:05Z") + "{\"id\":1} {}\n");
        assertTrue(problems.toString().contains("line 2"), problems.toString());
        problems = exported(auditLine("2026-01-02T03:04:05Z").strip());
        assertTrue(problems.toString().contains("newline"), problems.toString());
        problems = validator.validate("GET", "/api/audit-events/export", 200, headers("Content-Type", "application/x-ndjson"),
                auditLine("2026-01-02T03:04:05Z"));
        assertTrue(problems.toString().contains("Content-Disposition"), problems.toString());
    }
}
