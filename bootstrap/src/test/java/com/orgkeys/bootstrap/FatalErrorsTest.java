package com.orgkeys.bootstrap;

import com.orgkeys.http.server.HttpApi;
import com.orgkeys.http.server.Json;
import com.orgkeys.http.server.Router;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An error the process cannot recover from ends it at once, whichever thread meets it. */
class FatalErrorsTest {
    record Outcome(int status, String output) {
    }

    static Outcome probe(String failure) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                FatalErrorProbe.class.getName(), failure).redirectErrorStream(true).start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe did not end");
            return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void out_of_memory_in_any_thread_halts_the_process_with_status_3() throws Exception {
        Outcome outcome = probe("oom-in-a-thread");
        assertEquals(FatalErrors.VIRTUAL_MACHINE_ERROR_STATUS, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("probe: before exit"), outcome.output());
        assertTrue(outcome.output().contains("fatal java.lang.OutOfMemoryError"), outcome.output());
    }

    @Test
    void out_of_memory_while_handling_a_request_halts_the_process() throws Exception {
        Outcome outcome = probe("oom-in-a-request");
        assertEquals(FatalErrors.VIRTUAL_MACHINE_ERROR_STATUS, outcome.status(), outcome.output());
    }

    @Test
    void the_http_dispatcher_thread_ending_ends_the_process() throws Exception {
        Outcome outcome = probe("dispatcher-dies");
        assertEquals(FatalErrors.HTTP_DISPATCHER_DIED_STATUS, outcome.status(), outcome.output());
    }

    @Test
    void an_ordinary_uncaught_failure_is_printed_and_the_process_lives_on() throws Exception {
        Outcome outcome = probe("ordinary-failure");
        assertEquals(0, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("Exception in thread \"worker\" java.lang.IllegalStateException: probe: an ordinary failure"),
                outcome.output());
    }

    /** The dispatcher is recognized by its name, which the JDK chooses: this fails if that name changes. */
    @Test
    void the_jdk_names_its_http_dispatcher_thread_as_expected() {
        try (HttpApi api = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), new Router(Json.newMapper(), 1024),
                Duration.ofSeconds(1))) {
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals(FatalErrors.HTTP_DISPATCHER_THREAD)));
        }
    }
}
