package com.orgkeys.application.testing;

import com.orgkeys.application.account.port.out.AccountThrottleStore;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** The throttle's entries in a map, one update at a time; expired entries are deleted on every update. */
public final class InMemoryAccountThrottleStore implements AccountThrottleStore {
    private final Map<Key, Entry> entries = new HashMap<>();

    @Override
    public synchronized <T> T update(Collection<Key> keys, Instant now, Function<Map<Key, Entry>, T> change) {
        entries.values().removeIf(entry -> !entry.expiresAt().isAfter(now));
        Map<Key, Entry> locked = new HashMap<>();
        for (Key key : keys) {
            Entry entry = entries.get(key);
            if (entry != null) locked.put(key, entry);
        }
        T result = change.apply(locked); // nothing is stored when it throws
        for (Key key : keys) {
            Entry entry = locked.get(key);
            if (entry == null) entries.remove(key);
            else entries.put(key, entry);
        }
        return result;
    }

    /** How many entries are stored, expired or not. */
    public synchronized int size() {
        return entries.size();
    }
}
