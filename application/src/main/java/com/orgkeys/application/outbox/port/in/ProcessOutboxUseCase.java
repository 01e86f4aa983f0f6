package com.orgkeys.application.outbox.port.in;

/** The outbox worker's work (a background job on every node, no caller). */
public interface ProcessOutboxUseCase {
    /** Claims one batch of due messages and delivers each; what happened to them. */
    Delivered deliverDue();

    /** Deletes messages sent or given up on longer ago than the retention period; empty when another node is at it. */
    java.util.Optional<Integer> purgeFinished();

    /**
     * Of the messages claimed: {@code sent}, {@code retried} later (a failed attempt ends the batch: the rest most
     * likely meet the same server), and those given up on just now ({@code dead}).
     */
    record Delivered(int claimed, int sent, int retried, java.util.List<Dead> dead) {
        public static final Delivered NONE = new Delivered(0, 0, 0, java.util.List.of());

        public Delivered {
            dead = java.util.List.copyOf(dead);
        }
    }

    /** A message given up on: said once, in the log. */
    record Dead(String id, String kind, int attempts, String lastError) {
    }
}
