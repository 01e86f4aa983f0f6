package com.orgkeys.application.secretkey.port.out;

import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.List;
import java.util.Optional;

public interface SecretKeyRepository {
    void insert(SecretKey key);

    Optional<SecretKey> find(SecretKeyId id);

    Optional<SecretKey> findByHash(String secretHash);

    /** Newest first. */
    List<SecretKey> all();

    /**
     * Stores the revocation unless the key was revoked already (false then); every process sharing the database
     * is told through the revocation feed when the transaction commits.
     */
    boolean markRevoked(SecretKey revoked);
}
