package com.orgkeys.http.openapi;

import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of the whole API, kept next to the routes as a file
 * and checked against the live router by a test, so that a route cannot go undocumented.
 */
public final class OpenApiRoutes {
    public static final String RESOURCE = "/com/orgkeys/http/openapi/openapi.json";
    private final byte[] document;

    public OpenApiRoutes() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " missing from the class path");
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(Router router) {
        router.get("/openapi.json", Access.PUBLIC, call -> {
            call.setHeader("Cache-Control", "public, max-age=300");
            call.send(200, "application/json", document);
        });
    }
}
