package com.orgkeys.application.apikey.port.in;

import com.orgkeys.domain.caller.ApiKeyCaller;

import java.util.Optional;

/** Turns a Bearer secret into a caller: the key's organization with its scopes, if the key is active. */
public interface AuthenticateApiKeyUseCase {
    Optional<ApiKeyCaller> authenticate(String secret, String clientAddress);
}
