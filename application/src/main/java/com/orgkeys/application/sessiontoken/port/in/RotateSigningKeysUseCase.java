package com.orgkeys.application.sessiontoken.port.in;

import com.orgkeys.domain.sessiontoken.SigningKey;

/** Adds the next signing key: published at once, signing after the publication delay. */
public interface RotateSigningKeysUseCase {
    /** @param by who asks, kept on the key's row ({@code cli}) */
    SigningKey rotateSigningKeys(String by);
}
