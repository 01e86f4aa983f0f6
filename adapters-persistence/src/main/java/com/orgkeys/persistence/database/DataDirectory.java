package com.orgkeys.persistence.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code DATA_DIR}, held by one process for as long as it runs: the embedded cluster, its binaries and its password
 * live there, and a second process on the same directory would take the running cluster for an orphan and stop it.
 * The lock is the operating system's (on {@value #LOCK_FILE}), so it goes away with the process, even on kill -9.
 */
public final class DataDirectory implements AutoCloseable {
    static final String LOCK_FILE = "orgkeys.lock";
    private static final String PRIVATE_DIRECTORY = "rwx------";
    private static final String PRIVATE_FILE = "rw-------";
    /**
     * A file lock belongs to the whole JVM, and closing any descriptor of the file drops it (POSIX record locks):
     * a second attempt in this JVM (tests, an embedding) is refused from here, naming the holder, and never opens
     * the file. Guarded by itself.
     */
    private static final Map<Path, DataDirectory> heldByThisProcess = new HashMap<>();
    /** Channels that must never be closed: closing one would drop the lock this JVM holds through another. */
    private static final List<FileChannel> keptOpen = new ArrayList<>();

    private final Path path;
    private final Path lockKey;
    private final FileChannel channel;
    private final FileLock lock;
    private volatile String holder = "pid " + ProcessHandle.current().pid();
    private boolean closed;

    /** Thrown with a one-line message for the user when the directory cannot be used (held, not a directory…). */
    public static final class UnusableException extends RuntimeException {
        public UnusableException(String message) {
            super(message);
        }

        public UnusableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DataDirectory(Path path, Path lockKey, FileChannel channel, FileLock lock) {
        this.path = path;
        this.lockKey = lockKey;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed, makes it private to its owner and locks it.
     *
     * @throws UnusableException when it is not a directory, cannot be created, or another holder has it
     */
    public static DataDirectory lock(Path directory) {
        Path path = directory.toAbsolutePath().normalize();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UnusableException("DATA_DIR " + path + " is not a directory");
        }
        Path lockKey;
        try {
            Files.createDirectories(path);
            lockKey = path.toRealPath();
        } catch (IOException e) {
            throw new UnusableException("DATA_DIR " + path + " cannot be created: " + describe(e), e);
        }
        try {
            restrict(path, PRIVATE_DIRECTORY); // the cluster, its password and its binaries are for this user only
        } catch (IOException e) {
            throw new UnusableException("DATA_DIR " + path + " cannot be made private to this user (chmod 700): "
                    + describe(e), e);
        }
        synchronized (heldByThisProcess) {
            DataDirectory heldHere = heldByThisProcess.get(lockKey);
            if (heldHere != null) throw new UnusableException(inUse(path, heldHere.holder));
            FileChannel channel = null;
            boolean locked = false;
            try {
                Path lockFile = lockKey.resolve(LOCK_FILE);
                channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), privateFile());
                restrict(lockFile, PRIVATE_FILE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // this JVM holds it through another path to the same file (a bind mount): refused all the same,
                    // and this channel stays open, since closing it would drop that lock
                    keptOpen.add(channel);
                    channel = null;
                    throw new UnusableException(inUse(path, "pid " + ProcessHandle.current().pid()), e);
                }
                if (lock == null) throw new UnusableException(inUse(path, readHolder(channel).orElse("pid unknown")));
                DataDirectory held = new DataDirectory(path, lockKey, channel, lock);
                held.describeHolder("pid " + ProcessHandle.current().pid());
                heldByThisProcess.put(lockKey, held);
                locked = true;
                return held;
            } catch (IOException e) {
                throw new UnusableException("DATA_DIR " + path + " cannot be locked: " + describe(e), e);
            } finally {
                if (!locked) closeQuietly(channel); // this process holds no lock on the file: nothing to drop
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // it was never locked: nothing is left behind
        }
    }

    /** Adds the HTTP port to what a refused second process is told about this one. */
    public void recordPort(int port) {
        describeHolder("pid " + ProcessHandle.current().pid() + ", port " + port);
    }

    public Path path() {
        return path;
    }

    /** Whether files have POSIX owners and modes here (not on Windows). */
    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Makes {@code path} readable (and writable, and for a directory searchable) by its owner only. */
    static void restrict(Path path, String permissions) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** The attribute that creates a file private to its owner, where the file system has such a thing. */
    static FileAttribute<?>[] privateFile() {
        return privately(PRIVATE_FILE);
    }

    /** The attribute that creates a directory private to its owner, where the file system has such a thing. */
    static FileAttribute<?>[] privateDirectory() {
        return privately(PRIVATE_DIRECTORY);
    }

    private static FileAttribute<?>[] privately(String permissions) {
        return posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }

    private synchronized void describeHolder(String description) {
        holder = description;
        if (closed) return;
        try {
            byte[] line = (description + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(ByteBuffer.wrap(line), 0); // then cut: a reader never sees an empty file
            channel.truncate(line.length);
        } catch (IOException e) {
            // only the message a refused second process prints is less precise
        }
    }

    /** What another process wrote about itself, read through the channel at hand rather than another descriptor. */
    private static Optional<String> readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // a line of "pid N, port P" fits; anything longer is not a holder's line
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() || text.contains("\n") ? Optional.empty() : Optional.of(text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String inUse(Path path, String holder) {
        return "DATA_DIR " + path + " is in use by another orgkeys (" + holder
                + "): stop that one first, or give this one another DATA_DIR";
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    /** Releases the lock (the file stays: removing it would let a third process lock a file nobody else sees). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock dies with the channel or, at worst, with the process
            }
        }
        synchronized (heldByThisProcess) {
            heldByThisProcess.remove(lockKey, this);
        }
    }
}
