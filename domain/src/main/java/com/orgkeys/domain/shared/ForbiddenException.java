package com.orgkeys.domain.shared;

/** The caller is known but lacks the permission the action needs. */
public sealed class ForbiddenException extends DomainException permits EmailNotVerifiedException, TwoFactorRequiredException {
    public ForbiddenException(String message) {
        super(message);
    }
}
