package com.orgkeys.application.outbox.port.in;

/** The outbox worker's work (a background job on every node, no caller). */
public interface ProcessOutboxUseCase {
    /** Claims one batch of due messages and delivers each; what happened to them. */
    Delivered deliverDue();

    /** Deletes messages sent or given up on longer ago than the retention period; empty when another node is at it. */
    java.util.Optional<Integer> purgeFinished();

    /**
     * Of the messages claimed, how many were {@code sent}; and the failed attempt, if any (a failure ends the batch:
     * the rest most likely meet the same server).
     */
    record Delivered(int claimed, int sent, java.util.List<Failure> failures) {
        public static final Delivered NONE = new Delivered(0, 0, java.util.List.of());

        public Delivered {
            failures = java.util.List.copyOf(failures);
        }

        /** How many failed and will be tried again. */
        public int retried() {
            return (int) failures.stream().filter(f -> f.retryAt().isPresent()).count();
        }

        /** The ones given up on just now. */
        public java.util.List<Failure> dead() {
            return failures.stream().filter(f -> f.retryAt().isEmpty()).toList();
        }
    }

    /** A failed attempt: tried again at {@code retryAt}, or (empty) given up on. Never the payload. */
    record Failure(String id, String kind, int attempts, String error, java.util.Optional<java.time.Instant> retryAt) {
    }
}
