package com.orgkeys.application.secret.port.out;

import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;

import java.util.List;

/** The server secrets every node shares, kept in the database. */
public interface ServerSecrets {
    /**
     * Stores {@code first} unless its purpose has a version already: of nodes starting together, the first to
     * write makes it and the others read it. Returns whether this call stored it.
     */
    boolean createFirst(ServerSecret first);

    /** Stores {@code next} unless its purpose has that version already; returns whether this call stored it. */
    boolean add(ServerSecret next);

    /** Every stored version of {@code purpose}, newest first. */
    List<ServerSecret> versions(SecretPurpose purpose);

    /** Deletes the versions of {@code purpose} older than {@code version}; returns how many it deleted. */
    int deleteOlderThan(SecretPurpose purpose, int version);
}
