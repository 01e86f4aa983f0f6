package com.orgkeys.domain.shared;

/** No valid credentials came with the request. */
public final class UnauthenticatedException extends DomainException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
