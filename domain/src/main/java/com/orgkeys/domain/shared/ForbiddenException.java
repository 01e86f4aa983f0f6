package com.orgkeys.domain.shared;

/** The caller is known but lacks the permission the action needs. */
public final class ForbiddenException extends DomainException {
    public ForbiddenException(String message) {
        super(message);
    }
}
