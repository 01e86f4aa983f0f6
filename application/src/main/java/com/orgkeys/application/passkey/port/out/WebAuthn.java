package com.orgkeys.application.passkey.port.out;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.passkey.Passkey;

import java.util.List;

/**
 * The WebAuthn relying party: makes the options of a ceremony (with a fresh challenge) and checks the browser's
 * answer to them (origin, relying party id, challenge, signature, user verification, signature counter). Options
 * and answers are the JSON of the WebAuthn Level 3 {@code toJSON()} forms. Stateless: the caller keeps the options
 * until the answer comes and passes the passkeys involved.
 */
public interface WebAuthn {
    /**
     * @param request   kept by the server until the answer (the options with their challenge, to check against)
     * @param publicKey for the browser: {@code PublicKeyCredential.parseCreationOptionsFromJSON} or
     *                  {@code parseRequestOptionsFromJSON} take it as it is
     */
    record Options(String request, String publicKey) {
    }

    /** A credential the authenticator made, checked: base64url id and COSE public key, its first counter. */
    record NewCredential(String credentialId, String publicKeyCose, long signatureCount) {
    }

    /** Options to register a discoverable credential for the user, none of {@code existing} again. */
    Options startRegistration(UserId user, String userName, String displayName, List<Passkey> existing);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException ({@code credential}) when the answer is malformed
     *         or does not match {@code request}
     */
    NewCredential finishRegistration(String request, String credential, List<Passkey> existing);

    /**
     * Options to sign in with one of {@code allowed}, or, when it is empty, with any discoverable credential of
     * this relying party (the authenticator says whose), user verification required then.
     */
    Options startAssertion(List<Passkey> allowed);

    /**
     * The base64url credential id that the answer names, before anything is checked.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException ({@code credential}) when it is not an assertion
     */
    String credentialIdOf(String credential);

    /**
     * Checks the answer, signed by {@code passkey}, against {@code request}; the authenticator's new signature
     * counter.
     *
     * @throws com.orgkeys.domain.shared.UnauthenticatedException when it does not hold (wrong signature,
     *         challenge, origin, user, a counter that went backwards — a cloned authenticator —, …)
     */
    long finishAssertion(String request, String credential, Passkey passkey);
}
