package com.orgkeys.application.sessiontoken.port.out;

import java.util.Map;

/** RS256 JSON Web Tokens and Keys (the adapter: Nimbus JOSE+JWT). */
public interface JwtSigner {
    /** A new RSA key pair; {@code kid} is the RFC 7638 thumbprint of its public key. */
    GeneratedKey generate();

    record GeneratedKey(String kid, byte[] publicKey, byte[] privateKey) {
    }

    /**
     * A compact JWS of {@code claims} (JSON values: strings, numbers, lists, maps) signed RS256 with the PKCS#8
     * {@code privateKey}, its header {@code {"alg":"RS256","typ":"JWT","kid":kid}}.
     */
    String sign(String kid, byte[] privateKey, Map<String, Object> claims);

    /** The public JWK of an X.509 {@code publicKey}: {@code kty, use, alg, kid, n, e} and no private member. */
    Map<String, Object> publicJwk(String kid, byte[] publicKey);
}
