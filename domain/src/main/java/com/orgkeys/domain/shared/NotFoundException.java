package com.orgkeys.domain.shared;

/** The thing asked for does not exist, or belongs to another organization (never say which). */
public final class NotFoundException extends DomainException {
    public NotFoundException(String message) {
        super(message);
    }
}
