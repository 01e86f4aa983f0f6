package com.orgkeys.application.secret.port.in;

import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;

import java.util.Optional;

/**
 * The keys that sign and verify what the server hands out and takes back (form tokens, sealed cookies), the
 * same on every node. Served from memory: verifying costs no database write, and a read only for a version
 * newer than any this node holds.
 */
public interface ReadServerSecretsUseCase {
    /** The version that signs now. */
    ServerSecret currentSecret(SecretPurpose purpose);

    /**
     * {@code version} of {@code purpose} while it still verifies: the current version or the one before it.
     * A version newer than the current one was made by a rotation this node has not seen yet: it reloads
     * (at most a few times a second) and looks again.
     */
    Optional<ServerSecret> secret(SecretPurpose purpose, int version);
}
