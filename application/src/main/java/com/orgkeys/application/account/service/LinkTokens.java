package com.orgkeys.application.account.service;

import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;

import java.util.function.Supplier;

/** The tokens of mailed links (reset, verification, sign-in, email change), as the services receive them. */
final class LinkTokens {
    /** Tokens are 43 characters; anything much longer is not one and is not hashed or looked up. */
    static final int MAX_LENGTH = 100;

    private LinkTokens() {
    }

    /**
     * The SHA-256 {@code token} is stored under (stripped): a blank token is refused as required, one longer than any
     * token as {@code invalid}.
     */
    static String hashOf(String token, Supplier<InvalidInputException> invalid) {
        String stripped = token == null ? "" : token.strip();
        if (stripped.isEmpty()) throw new InvalidInputException("token", "is required");
        if (stripped.length() > MAX_LENGTH) throw invalid.get();
        return Secrets.sha256(stripped);
    }
}
