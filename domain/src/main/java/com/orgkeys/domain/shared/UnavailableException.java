package com.orgkeys.domain.shared;

/** A dependency (the database) cannot serve the request right now; retrying later may work. */
public final class UnavailableException extends DomainException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
