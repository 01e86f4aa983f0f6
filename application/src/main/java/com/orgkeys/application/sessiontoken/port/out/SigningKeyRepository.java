package com.orgkeys.application.sessiontoken.port.out;

import com.orgkeys.domain.sessiontoken.SigningKey;

import java.util.List;

/** The session-token signing keys every node shares. */
public interface SigningKeyRepository {
    /**
     * Stores {@code key} unless its generation (or kid) is stored already: of nodes adding the same generation at
     * once, one wins and the others read its key back. Returns whether this call stored it.
     */
    boolean add(SigningKey key);

    /** Every key, newest generation first (those without a private key too). */
    List<SigningKey> all();

    /** Deletes the private key of every generation below {@code generation}; returns how many it deleted. */
    int forgetPrivateKeysBelow(int generation);
}
