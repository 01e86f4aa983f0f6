package com.orgkeys.http.server;

/** Handles one matched route: parse → call a use case → write the answer. */
@FunctionalInterface
public interface Handler {
    void handle(HttpCall call) throws Exception;
}
