package com.orgkeys.domain.shared;

/** Base of the named failures that adapters translate into one answer each (HTTP: one status per subclass). */
public abstract sealed class DomainException extends RuntimeException
        permits InvalidInputException, NotFoundException, ForbiddenException, ConflictException,
                UnauthenticatedException, RateLimitedException, UnavailableException {
    protected DomainException(String message) {
        super(message, null, false, false); // no stack trace: these are expected outcomes, not bugs
    }

    protected DomainException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
