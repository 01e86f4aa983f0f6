// Starts Swagger UI on this server's own document. A file, not an inline script: the page's CSP forbids those.
window.addEventListener("DOMContentLoaded", function () {
    window.ui = SwaggerUIBundle({
        url: "/openapi.json",
        dom_id: "#swagger-ui",
        deepLinking: true,
        // The default shows a badge fetched from validator.swagger.io with this document's address; nothing leaves here.
        validatorUrl: null,
        // Off (the default), so that no link can make this page render another document.
        queryConfigEnabled: false,
        presets: [SwaggerUIBundle.presets.apis],
        layout: "BaseLayout"
    });
});
