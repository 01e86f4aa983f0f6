package com.orgkeys.bootstrap;

/**
 * A start that fails for a reason the user can act on (the port is taken, DATA_DIR is held by another orgkeys…):
 * Main prints the one-line message and exits with status 2, without a stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
