package com.orgkeys.bootstrap;

import com.orgkeys.application.apikey.port.in.RevocationListener;

import java.time.Instant;
import java.util.List;

/**
 * One revocation feed for every verification cache: API keys and backend secret keys are told of each revoked hash
 * (a hash is one or the other; the one that does not know it ignores it) and of the feed's state.
 */
final class Revocations implements RevocationListener {
    private final List<RevocationListener> listeners;

    Revocations(RevocationListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void keyRevoked(String secretHash) {
        for (RevocationListener listener : listeners) listener.keyRevoked(secretHash);
    }

    @Override
    public void keyRevoked(String secretHash, Instant sentAt) {
        for (RevocationListener listener : listeners) listener.keyRevoked(secretHash, sentAt);
    }

    @Override
    public void feedInterrupted() {
        for (RevocationListener listener : listeners) listener.feedInterrupted();
    }

    @Override
    public void feedRestored() {
        for (RevocationListener listener : listeners) listener.feedRestored();
    }
}
