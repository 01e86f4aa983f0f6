package com.orgkeys.application.secretkey.port.in;

import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.Optional;

/** Turns a Bearer secret into the backend secret key it is, if that key exists and is not revoked. */
public interface AuthenticateSecretKeyUseCase {
    Optional<SecretKeyId> authenticate(String secret);
}
