package com.orgkeys.domain.apikey;

/**
 * What became of one request made with an API key, as its daily usage counts it: each request counts once, under
 * one outcome.
 */
public enum KeyUseOutcome {
    /** Verified and let through. */
    SUCCESS,
    /** Verified, then refused because the key lacks a scope the route needs. */
    SCOPE_REFUSED,
    /** Refused because the key made too many requests. */
    RATE_LIMITED,
    /** Refused because the request came from an address the key does not allow. */
    IP_REFUSED
}
