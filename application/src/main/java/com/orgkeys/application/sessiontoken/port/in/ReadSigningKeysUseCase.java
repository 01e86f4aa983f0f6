package com.orgkeys.application.sessiontoken.port.in;

import java.util.List;
import java.util.Map;

/** The public keys that verify session tokens: the JWKS. Public by design; never a private part. */
public interface ReadSigningKeysUseCase {
    /** Every key that signs now, will sign soon, or signed a token that may not have expired yet. */
    List<Map<String, Object>> publicJwks();
}
