package com.orgkeys.http.server;

/**
 * Who may call a route. The router checks it before the handler runs, so no handler can parse a body (and
 * answer 415 or 422) for a caller it would refuse anyway: credentials always come first.
 */
public enum Access {
    /** Anyone: public operations, and dashboard pages, which send a missing session to the sign-in page themselves. */
    PUBLIC,
    /** A signed-in user (session cookie); an API key gets 403. */
    USER,
    /** A signed-in user or an API key. */
    USER_OR_API_KEY,
    /** A backend secret key ({@code Authorization: Bearer sk_orgkeys_…}): the backend API under {@code /v1}; nothing else is accepted there. */
    SECRET_KEY
}
