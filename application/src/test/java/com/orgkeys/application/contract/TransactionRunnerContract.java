package com.orgkeys.application.contract;

import com.orgkeys.application.shared.port.out.TransactionRunner;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class TransactionRunnerContract extends RepositoryContract {
    @Test
    public void tells_whether_the_calling_thread_is_inside_a_transaction() throws InterruptedException {
        TransactionRunner tx = repositories.transactions();
        assertFalse(tx.insideTransaction());

        AtomicBoolean otherThreadInside = new AtomicBoolean(true);
        tx.inTransaction(() -> {
            assertTrue(tx.insideTransaction());
            tx.inTransaction(() -> assertTrue(tx.insideTransaction(), "a nested call joins the transaction"));
            assertTrue(tx.insideTransaction());
            Thread other = new Thread(() -> otherThreadInside.set(tx.insideTransaction()));
            other.start();
            join(other);
        });
        assertFalse(otherThreadInside.get(), "another thread is not inside this thread's transaction");
        assertFalse(tx.insideTransaction(), "after a commit");

        Runnable failing = () -> {
            throw new IllegalStateException("roll back");
        };
        assertThrows(IllegalStateException.class, () -> tx.inTransaction(failing));
        assertFalse(tx.insideTransaction(), "after a rollback");
    }

    @Test
    public void runs_what_waits_for_the_commit_after_it_and_never_after_a_rollback() {
        TransactionRunner tx = repositories.transactions();
        java.util.List<String> ran = new java.util.ArrayList<>();
        tx.inTransaction(() -> {
            tx.afterCommit(() -> ran.add("first, outside: " + tx.insideTransaction()));
            tx.inTransaction(() -> tx.afterCommit(() -> ran.add("from a nested call")));
            assertTrue(ran.isEmpty(), "nothing before the commit");
        });
        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.List.of("first, outside: false", "from a nested call"), ran);

        ran.clear();
        assertThrows(IllegalStateException.class, () -> tx.inTransaction(() -> {
            tx.afterCommit(() -> ran.add("rolled back"));
            throw new IllegalStateException("roll back");
        }));
        assertTrue(ran.isEmpty(), "a rollback runs nothing");
        tx.afterCommit(() -> ran.add("no transaction: at once"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("no transaction: at once"), ran);

        ran.clear();
        String answer = tx.inTransaction(() -> {
            tx.afterCommit(() -> {
                throw new IllegalStateException("a failing action");
            });
            tx.afterCommit(() -> ran.add("the next one"));
            return "committed";
        });
        org.junit.jupiter.api.Assertions.assertEquals("committed", answer, "the change stands: the caller is not told otherwise");
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("the next one"), ran);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
