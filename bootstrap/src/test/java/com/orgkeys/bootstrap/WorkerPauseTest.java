package com.orgkeys.bootstrap;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPauseTest {
    private static final Duration AN_HOUR = Duration.ofHours(1);
    private static final Duration BOUND = Duration.ofSeconds(30); // far below the hour the waits below would last

    @Test
    public void a_wake_while_the_worker_was_busy_ends_its_next_wait_at_once_and_only_that_one() throws Exception {
        WorkerPause pause = new WorkerPause();
        pause.wake(); // a commit announced work while the loop was claiming: its claim may not have seen it
        assertTimeoutPreemptively(BOUND, () -> pause.await(AN_HOUR));

        // the wake was used up: the next wait lasts until another wake
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread worker = Thread.ofVirtual().start(() -> {
            waiting.countDown();
            pause.await(AN_HOUR);
            returned.countDown();
        });
        waiting.await();
        assertFalse(returned.await(200, java.util.concurrent.TimeUnit.MILLISECONDS), "waits without a new wake");
        pause.wake();
        assertTimeoutPreemptively(BOUND, () -> returned.await());
        worker.join();
    }

    @Test
    public void a_stopped_pause_never_waits() {
        WorkerPause pause = new WorkerPause();
        pause.stop();
        assertTimeoutPreemptively(BOUND, () -> {
            pause.await(AN_HOUR);
            pause.await(AN_HOUR);
        });
        assertTrue(pause.stopped());
    }
}
