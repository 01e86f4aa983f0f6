package com.orgkeys.http.server;

/** Establishes that the caller of a request has the {@link Access} its route declares, or throws (401/403). */
@FunctionalInterface
public interface AccessCheck {
    void check(HttpCall call, Access access) throws Exception;
}
