package com.orgkeys.application.secretkey.port.in;

import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.List;

/**
 * The instance's backend secret keys: create (secret shown once), list, revoke. Called by instance operators only
 * (the jar's {@code secret-keys} command, and later the admin page), who are named by {@code operator}
 * ("cli:&lt;os user&gt;", "user:&lt;id&gt;"): no organization caller may reach it.
 */
public interface ManageSecretKeysUseCase {
    /** The new key and its secret: the only time the secret exists outside the operator's hands. */
    record CreatedSecretKey(SecretKey key, String secret) {
        @Override
        public String toString() {
            return "CreatedSecretKey[" + key.id() + "]";
        }
    }

    CreatedSecretKey createSecretKey(String operator, String name);

    /** Every key, newest first, revoked ones included. */
    List<SecretKey> listSecretKeys();

    /** Revokes at once on this node, within the revocation feed's delay on the others; again: no change. */
    SecretKey revokeSecretKey(String operator, SecretKeyId id);
}
