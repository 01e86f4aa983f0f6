package com.orgkeys.bootstrap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logback.xml the jar ships, in a context of its own (the test JVM's is shared by every test). */
class LogbackConfigurationTest {
    static final int THREADS = 8;
    /** More than 80 % of the queue: logback's default discarding threshold would drop INFO lines past that. */
    static final int LINES_PER_THREAD = 3_500;

    @Test
    void threads_that_log_do_not_wait_for_a_stalled_output_and_stopping_writes_out_every_line_whole() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch outputBack = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalled = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                written.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    outputBack.await(30, TimeUnit.SECONDS); // a journal commit behind someone's fsync
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(stalled, true, StandardCharsets.UTF_8));
        try {
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new LogbackMDCAdapter()); // what slf4j's initialization does for its own
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Main.class.getResource("/logback.xml"));
            Logger log = context.getLogger("logging.test");
            log.info("before");
            assertTrue(writing.await(10, TimeUnit.SECONDS), "the output was written to");

            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    threads.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < LINES_PER_THREAD; i++) log.info("thread {} line {}", thread, i);
                    }));
                }
                for (Thread thread : threads) thread.join();
            }, "logging waited for the output");

            outputBack.countDown();
            context.stop(); // what Main's shutdown hook does last
        } finally {
            outputBack.countDown();
            System.setOut(stdout);
        }

        List<String> lines = written.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" logging.test - ")).toList();
        for (String line : lines) assertTrue(LoggingProcessTest.LINE.matcher(line).matches(), "not one whole line: " + line);
        assertEquals(1 + THREADS * LINES_PER_THREAD, lines.size(), "every line written");
        assertTrue(lines.getFirst().endsWith(" INFO logging.test - before"), lines.getFirst());
        int[] next = new int[THREADS];
        for (String line : lines.subList(1, lines.size())) {
            String[] words = line.substring(line.indexOf(" - thread ") + 10).split(" line ");
            int thread = Integer.parseInt(words[0]);
            assertEquals(next[thread]++, Integer.parseInt(words[1]), "each thread's lines in order");
        }
    }
}
