package com.orgkeys.domain.shared;

/**
 * The signed-in user has not shown yet that they read mail at their address, and the action needs that (accepting
 * an invitation, creating an API key). A kind of {@link ForbiddenException} with an answer of its own.
 */
public final class EmailNotVerifiedException extends ForbiddenException {
    public EmailNotVerifiedException(String email) {
        super("Verify your email address " + email + " first: enter the 6-digit code from the mail we sent to it, "
                + "or open the mail's link. No mail? Ask for a new one.");
    }
}
