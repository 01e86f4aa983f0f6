package com.orgkeys.http.server;

/** Told of every request once it has been answered and closed (e.g. for metrics). Must be cheap and not throw. */
@FunctionalInterface
public interface RequestObserver {
    /**
     * @param call   the request, or null if it failed before one existed
     * @param route  the matched route, or null when none matched (404, 405): never the raw path
     * @param method the request method as the client sent it
     */
    void completed(HttpCall call, Route route, String method, int status, long nanos);
}
