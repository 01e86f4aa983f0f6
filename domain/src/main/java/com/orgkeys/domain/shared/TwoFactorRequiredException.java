package com.orgkeys.domain.shared;

/**
 * The active organization requires two-factor sign-in and the signed-in user has no enabled second factor: they
 * may enroll one (and sign out, switch or leave organizations, manage their account) but not act in it. A kind of
 * {@link ForbiddenException} with an answer of its own.
 */
public final class TwoFactorRequiredException extends ForbiddenException {
    public TwoFactorRequiredException() {
        super("This organization requires two-factor sign-in: set up an authenticator app first, on the dashboard's "
                + "page /account/two-factor or with POST /api/account/two-factor/totp, then "
                + "POST /api/account/two-factor/totp/confirm with a code from it, or add a passkey (same page, or "
                + "POST /api/account/passkeys/registration/options), or switch to another organization.");
    }
}
