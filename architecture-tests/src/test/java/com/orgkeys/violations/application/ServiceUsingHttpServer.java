package com.orgkeys.violations.application;

import com.sun.net.httpserver.HttpExchange;

/** Breaks "application uses only the domain and the JDK": it reaches into the HTTP server. */
public class ServiceUsingHttpServer {
    public String path(HttpExchange exchange) {
        return exchange.getRequestURI().getPath();
    }
}
