package com.orgkeys.bootstrap;

/**
 * Ends the process when it can no longer be trusted to serve, so that a supervisor restarts a whole one instead
 * of a half-dead one answering nothing. The launcher also passes {@code -XX:+ExitOnOutOfMemoryError}, which
 * covers errors that code catches; this covers {@code java -jar} without it.
 */
final class FatalErrors {
    /** The status -XX:+ExitOnOutOfMemoryError exits with. */
    static final int VIRTUAL_MACHINE_ERROR_STATUS = 3;
    /** EX_SOFTWARE: the HTTP server's one dispatcher thread ended, and with it every new connection. */
    static final int HTTP_DISPATCHER_DIED_STATUS = 70;
    /** The JDK HttpServer's accept/dispatch thread (sun.net.httpserver.ServerImpl); HttpApiThreadsTest checks it. */
    static final String HTTP_DISPATCHER_THREAD = "HTTP-Dispatcher";

    private FatalErrors() {
    }

    /**
     * From now on, an {@link VirtualMachineError} (out of memory, an internal error) that no code catches, in any
     * thread, halts the process at once: after one, no other code (shutdown hooks included) can be relied on.
     * The HTTP dispatcher thread ending on anything else exits in order. Other uncaught failures are printed as
     * the JVM would. {@code beforeExit} runs first, best effort (e.g. writing out buffered log lines).
     */
    static void install(Runnable beforeExit) {
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            if (failure instanceof VirtualMachineError) {
                report(thread, failure, beforeExit);
                Runtime.getRuntime().halt(VIRTUAL_MACHINE_ERROR_STATUS);
            } else if (thread.getName().equals(HTTP_DISPATCHER_THREAD)) {
                report(thread, failure, beforeExit);
                // Not from this thread: stopping the server joins it, and System.exit waits for the hooks.
                Thread.ofPlatform().name("orgkeys-fatal-exit").start(() -> System.exit(HTTP_DISPATCHER_DIED_STATUS));
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                failure.printStackTrace(System.err);
            }
        });
    }

    /** Tells what happened, if there is memory left to say it; never throws. */
    private static void report(Thread thread, Throwable failure, Runnable beforeExit) {
        try {
            beforeExit.run();
        } catch (Throwable ignored) {
            // the message below matters more
        }
        try {
            System.err.println("orgkeys: fatal " + failure + " in thread " + thread.getName() + "; exiting");
            failure.printStackTrace(System.err);
            System.err.flush();
        } catch (Throwable ignored) {
            // out of memory even for this: exit all the same
        }
    }
}
