package com.orgkeys.application.passkey.port.out;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.passkey.PasskeyName;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' passkeys and the WebAuthn ceremonies under way. Taking a ceremony and recording a passkey's use are each
 * one atomic statement, so that one answer (on one node or two) is accepted once.
 */
public interface PasskeyRepository {
    /** Stores a new passkey; false (nothing stored) when a passkey with its credential id exists already. */
    boolean insert(Passkey passkey);

    /** The user's passkeys, oldest first. */
    List<Passkey> listFor(UserId userId);

    Optional<Passkey> findByCredentialId(String credentialId);

    /** False when the user has no passkey {@code id}. */
    boolean rename(UserId userId, PasskeyId id, PasskeyName name);

    /** The removed passkey; empty when the user has no passkey {@code id}. */
    Optional<Passkey> delete(UserId userId, PasskeyId id);

    /**
     * Records a sign-in with the passkey at {@code now} and the authenticator's new signature counter, if the stored
     * counter is still {@code previousCount}; false (nothing changes) when another use came first.
     */
    boolean recordUse(PasskeyId id, long previousCount, long newCount, Instant now);

    /**
     * Stores a ceremony under way, and forgets the ones expired by {@code now}; a second-factor ceremony replaces
     * the earlier ones of its pending sign-in (one at a time each, however often its page is shown).
     */
    void saveCeremony(PasskeyCeremony ceremony, Instant now);

    /** Removes and returns the ceremony {@code id} of this purpose if it has not expired by {@code now}. */
    Optional<PasskeyCeremony> takeCeremony(UUID id, PasskeyCeremony.Purpose purpose, Instant now);
}
