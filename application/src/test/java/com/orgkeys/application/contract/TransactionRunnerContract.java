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

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
