package com.orgkeys.http.openapi;

import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.server.SecurityHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /docs}: the API reference, {@code /openapi.json} rendered by Swagger UI. The renderer comes from
 * the {@code org.webjars:swagger-ui} jar and is served from this server, never a CDN; our page and its
 * initializer are files of our own, so the page's policy allows scripts and styles from this origin only.
 */
public final class ApiReferenceRoutes {
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    private static final String OURS = "/com/orgkeys/http/openapi/reference/";

    private final byte[] page;
    private final Map<String, byte[]> assets;

    public ApiReferenceRoutes() {
        String swaggerUi = WEBJAR + webjarVersion() + "/";
        page = resource(OURS + "index.html");
        assets = Map.of(
                "swagger-ui-bundle.js", resource(swaggerUi + "swagger-ui-bundle.js"),
                "swagger-ui.css", resource(swaggerUi + "swagger-ui.css"),
                "reference.js", resource(OURS + "reference.js"),
                "reference.css", resource(OURS + "reference.css"));
    }

    /** One route per file, so that nothing else in the jars can be asked for; any other name is the usual 404. */
    public void register(Router router) {
        router.get("/docs", Access.PUBLIC, this::page);
        assets.forEach((name, body) -> router.get("/docs/assets/" + name, Access.PUBLIC, call -> asset(call, name, body)));
    }

    private void page(HttpCall call) {
        // connect-src 'self': the UI fetches the document (and "Try it out" calls this API); Swagger UI sets
        // styles through the DOM, which style-src 'self' allows.
        SecurityHeaders.page(call, SecurityHeaders.API_REFERENCE_CSP);
        call.send(200, "text/html; charset=utf-8", page);
    }

    private static void asset(HttpCall call, String name, byte[] body) {
        call.setHeader("Cache-Control", "public, max-age=300");
        call.send(200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body);
    }

    /** The version directory inside the webjar, from its own Maven metadata, so an upgrade is a pom change only. */
    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = resourceStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version");
        if (version == null) throw new IllegalStateException("the swagger-ui webjar names no version");
        return version;
    }

    private static byte[] resource(String path) {
        try (InputStream in = resourceStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resourceStream(String path) {
        InputStream in = ApiReferenceRoutes.class.getResourceAsStream(path);
        if (in == null) throw new IllegalStateException(path + " missing from the class path");
        return in;
    }
}
