package com.orgkeys.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogOutputTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lines_reach_the_target_in_order_only_when_written_out() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        Main.LogOutput log = new Main.LogOutput(target);
        log.write(bytes("one\n"), 0, 4);
        log.write(bytes("two\n"), 0, 4);
        log.flush(); // slf4j-simple's flush after every line: no write call
        assertEquals("", target.toString(StandardCharsets.UTF_8));

        log.writeOut();
        log.write(bytes("three\n"), 0, 6);
        log.writeOut();
        log.writeOut(); // nothing pending: nothing written twice
        assertEquals("one\ntwo\nthree\n", target.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_thread_that_logs_does_not_wait_for_a_stalled_disk() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalledDisk = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    diskBack.await(10, TimeUnit.SECONDS); // a journal commit behind someone's fsync
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        Main.LogOutput log = new Main.LogOutput(stalledDisk);
        log.write(bytes("before\n"), 0, 7);
        Thread flusher = Thread.ofPlatform().start(log::writeOut);
        assertTrue(writing.await(10, TimeUnit.SECONDS));

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 0; i < 1000; i++) log.write(bytes("during\n"), 0, 7);
        }, "logging waited for the disk");

        diskBack.countDown();
        flusher.join(10_000);
        log.writeOut();
        assertEquals("before\n" + "during\n".repeat(1000), written.toString(StandardCharsets.UTF_8));
    }
}
