package com.orgkeys.domain.shared;

/** The action clashes with the current state (taken name, last admin, …). */
public final class ConflictException extends DomainException {
    public ConflictException(String message) {
        super(message);
    }
}
