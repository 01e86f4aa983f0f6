package com.orgkeys.application.apikey.port.in;

import com.orgkeys.domain.caller.ApiKeyCaller;

import java.util.Optional;

/** Turns a Bearer secret into a caller: the key's organization with its scopes, if the key is active. */
public interface AuthenticateApiKeyUseCase {
    Optional<ApiKeyCaller> authenticate(String secret, String clientAddress);

    /**
     * An authenticated key was refused an operation for lack of scope (the use case said 403): counted with the
     * verification outcomes, since it is where a key's scopes are put to the test.
     */
    void refusedForScope(ApiKeyCaller caller);
}
