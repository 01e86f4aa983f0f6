package com.orgkeys.bootstrap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts Main as its own process, as a user would, to see what a bad configuration looks like. */
class MainProcessTest {
    @Test
    void bad_configuration_exits_with_2_and_a_readable_message() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true);
        builder.environment().put("PORT", "abc");
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Main did not exit");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("PORT must be a number 0–65535"), output);
        assertFalse(output.contains("Exception"), output);
        assertFalse(output.contains("\tat "), output);
    }
}
