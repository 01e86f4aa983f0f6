package com.orgkeys.application.contract;

import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.port.out.OutboxRepository;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public abstract class OutboxRepositoryContract extends RepositoryContract {
    private OutboxRepository outbox() {
        return repositories.outbox();
    }

    private List<OutboxMessage> claim(Instant now, int limit) {
        return repositories.transactions().inTransaction(() -> outbox().claimDue(now, limit));
    }

    private OutboxMessage added(String kind, Map<String, String> payload, Instant at) {
        OutboxMessage message = OutboxMessage.of(kind, payload, at);
        repositories.transactions().inTransaction(() -> outbox().add(message));
        return message;
    }

    @Test
    public void an_added_message_is_found_with_its_payload_and_is_due_from_when_it_was_added() {
        Map<String, String> payload = Map.of("to", "bob@example.com", "text", "Quotes \" and \\ and\nlines, ünïcödé",
                "empty", "");
        OutboxMessage message = added("mail", payload, at(Duration.ofMinutes(1)));

        assertEquals(Optional.of(message), outbox().find(message.id()));
        assertEquals(List.of(), claim(T0, 10), "not due before it was added");
        assertEquals(List.of(message), claim(at(Duration.ofMinutes(1)), 10));
    }

    @Test
    public void a_message_added_in_a_transaction_that_rolls_back_does_not_exist() {
        OutboxMessage message = OutboxMessage.of("mail", Map.of("to", "bob@example.com"), T0);

        assertThrows(IllegalStateException.class, () -> repositories.transactions().inTransaction(() -> {
            outbox().add(message);
            throw new IllegalStateException("the change failed");
        }));

        assertEquals(Optional.empty(), outbox().find(message.id()));
        assertEquals(List.of(), claim(at(Duration.ofDays(1)), 10));
    }

    @Test
    public void due_messages_are_claimed_earliest_due_first_up_to_the_limit() {
        OutboxMessage second = added("mail", Map.of("n", "2"), at(Duration.ofMinutes(2)));
        OutboxMessage first = added("mail", Map.of("n", "1"), at(Duration.ofMinutes(1)));
        OutboxMessage third = added("webhook", Map.of("n", "3"), at(Duration.ofMinutes(3)));

        assertEquals(List.of(first, second), claim(at(Duration.ofMinutes(5)), 2));
        assertEquals(List.of(first, second, third), claim(at(Duration.ofMinutes(5)), 10));
    }

    @Test
    public void a_sent_message_is_never_claimed_again_and_loses_its_payload() {
        OutboxMessage message = added("mail", Map.of("link", "https://x.test/secret"), T0);

        repositories.transactions().inTransaction(() -> outbox().markSent(message.id(), at(Duration.ofSeconds(1))));

        assertEquals(List.of(), claim(at(Duration.ofDays(365)), 10));
        OutboxMessage sent = outbox().find(message.id()).orElseThrow();
        assertEquals(Optional.of(at(Duration.ofSeconds(1))), sent.sentAt());
        assertEquals(Map.of(), sent.payload());
    }

    @Test
    public void a_failed_message_is_due_again_at_its_retry_time_with_its_attempts_and_error() {
        OutboxMessage message = added("mail", Map.of("to", "bob@example.com"), T0);

        repositories.transactions().inTransaction(() ->
                outbox().markFailed(message.id(), 1, "MessagingException: refused", at(Duration.ofMinutes(3))));

        assertEquals(List.of(), claim(at(Duration.ofMinutes(2)), 10));
        OutboxMessage retried = claim(at(Duration.ofMinutes(3)), 10).getFirst();
        assertEquals(1, retried.attempts());
        assertEquals(Optional.of("MessagingException: refused"), retried.lastError());
        assertEquals(at(Duration.ofMinutes(3)), retried.availableAt());
        assertEquals(message.payload(), retried.payload());
    }

    @Test
    public void a_dead_message_is_never_claimed_again_and_loses_its_payload() {
        OutboxMessage message = added("mail", Map.of("link", "https://x.test/secret"), T0);

        repositories.transactions().inTransaction(() ->
                outbox().markDead(message.id(), 10, "gave up", at(Duration.ofDays(1))));

        assertEquals(List.of(), claim(at(Duration.ofDays(365)), 10));
        OutboxMessage dead = outbox().find(message.id()).orElseThrow();
        assertEquals(Optional.of(at(Duration.ofDays(1))), dead.deadAt());
        assertEquals(10, dead.attempts());
        assertEquals(Optional.of("gave up"), dead.lastError());
        assertEquals(Map.of(), dead.payload());
    }

    @Test
    public void only_messages_sent_or_dead_before_the_cutoff_are_deleted_in_batches() {
        OutboxMessage sentLongAgo = added("mail", Map.of(), T0);
        OutboxMessage deadLongAgo = added("mail", Map.of(), T0);
        OutboxMessage sentRecently = added("mail", Map.of(), T0);
        OutboxMessage pending = added("mail", Map.of(), T0);
        repositories.transactions().inTransaction(() -> {
            outbox().markSent(sentLongAgo.id(), at(Duration.ofDays(1)));
            outbox().markDead(deadLongAgo.id(), 10, "gave up", at(Duration.ofDays(1)));
            outbox().markSent(sentRecently.id(), at(Duration.ofDays(20)));
        });
        Instant cutoff = at(Duration.ofDays(10));

        assertEquals(1, outbox().deleteFinishedBefore(cutoff, 1));
        assertEquals(1, outbox().deleteFinishedBefore(cutoff, 10));
        assertEquals(0, outbox().deleteFinishedBefore(cutoff, 10));

        assertEquals(Optional.empty(), outbox().find(sentLongAgo.id()));
        assertEquals(Optional.empty(), outbox().find(deadLongAgo.id()));
        assertEquals(true, outbox().find(sentRecently.id()).isPresent());
        assertEquals(List.of(pending), claim(at(Duration.ofDays(30)), 10));
    }
}
