package com.orgkeys.persistence.sessiontoken;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.orgkeys.application.sessiontoken.port.out.JwtSigner;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;

/**
 * RS256 with Nimbus JOSE+JWT over JDK RSA keys of {@link #KEY_BITS}. RS256 because {@code @clerk/backend}'s
 * {@code verifyToken} accepts RS256/384/512 only, and every JWT library verifies it.
 */
public final class NimbusJwtSigner implements JwtSigner {
    static final int KEY_BITS = 2048;

    @Override
    public GeneratedKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            KeyPair pair = generator.generateKeyPair();
            String kid = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build().computeThumbprint().toString();
            return new GeneratedKey(kid, pair.getPublic().getEncoded(), pair.getPrivate().getEncoded());
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("could not make an RSA key pair", e);
        }
    }

    @Override
    public String sign(String kid, byte[] privateKey, Map<String, Object> claims) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(privateKey));
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build();
            JWTClaimsSet.Builder body = new JWTClaimsSet.Builder();
            // numbers stay numbers (NumericDate seconds): the claims map already holds epoch seconds
            claims.forEach(body::claim);
            SignedJWT jwt = new SignedJWT(header, body.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("could not sign a session token", e);
        }
    }

    @Override
    public Map<String, Object> publicJwk(String kid, byte[] publicKey) {
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicKey));
            // built from the public key alone: no private member can reach the JWKS
            return new RSAKey.Builder(key).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build()
                    .toPublicJWK().toJSONObject();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored public key does not parse", e);
        }
    }
}
