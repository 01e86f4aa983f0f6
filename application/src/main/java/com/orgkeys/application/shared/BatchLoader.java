package com.orgkeys.application.shared;

import com.orgkeys.application.shared.port.out.TransactionRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Lookups of different keys share one query when they arrive together (see {@link Batcher}: no timer, at most
 * {@code maxBatch} lookups per query, {@code maxRunning} queries at once); a key asked twice in a batch is queried
 * once. Refused inside a transaction, whose uncommitted writes a shared read could see.
 */
public final class BatchLoader<K, V> {
    private final Batcher<K, V> batcher;

    /** @param query answers the keys it finds (those it does not find are absent); never called with none */
    public BatchLoader(TransactionRunner tx, int maxBatch, int maxRunning, Function<Set<K>, Map<K, V>> query) {
        this.batcher = new Batcher<>(tx, maxBatch, maxRunning, keys -> {
            Map<K, V> found = query.apply(Set.copyOf(keys));
            List<V> values = new ArrayList<>(keys.size()); // not Stream.toList(): absent keys answer null
            for (K key : keys) values.add(found.get(key));
            return values;
        });
    }

    public Optional<V> load(K key) {
        return Optional.ofNullable(batcher.submit(key));
    }

    /** Callers' keys waiting for a query to start (for tests). */
    int waitingKeys() {
        return batcher.waitingItems();
    }
}
