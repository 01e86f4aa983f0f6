package com.orgkeys.application.secret.port.in;

import com.orgkeys.domain.secret.ServerSecret;

import java.util.List;

/**
 * Replaces the server secrets, for the operator ({@code java -jar orgkeys.jar rotate-secrets}); no caller, as
 * whoever can run it holds the database already.
 */
public interface RotateServerSecretsUseCase {
    /**
     * Adds a new version of every purpose, which signs from now on. The version it replaces still verifies, so
     * open forms keep working; older versions are deleted. Returns the new versions.
     */
    List<ServerSecret> rotateSecrets();
}
