package com.orgkeys.persistence.database;

import java.nio.file.Path;

/** Another process holding a data directory: locks {@code args[0]}, says so, and holds it until stdin closes. */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (DataDirectory held = DataDirectory.lock(Path.of(args[0]))) {
            held.recordPort(4242);
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // holds the lock until the test closes our standard input (or kills us)
            }
        }
    }
}
