package com.orgkeys.application.account.port.out;

import com.orgkeys.domain.account.Password;

/** Slow, salted password hashing (argon2id in production). */
public interface PasswordHasher {
    String hash(Password password);

    /** Whether {@code candidate} matches {@code hash}; takes about as long as {@link #hash}. */
    boolean verify(String hash, char[] candidate);
}
