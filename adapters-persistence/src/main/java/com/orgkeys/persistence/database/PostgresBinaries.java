package com.orgkeys.persistence.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL programs, unpacked by zonky from its jar into {@code DATA_DIR/postgres-binaries/PG-<md5 of the
 * archive>} and run from there. Whatever runs from that tree runs as this user, so nobody else may ever have been
 * able to write in it: a tree that someone could have changed is moved aside and unpacked afresh.
 *
 * <p>As zonky's resolver it is a new instance per start, so zonky's JVM-wide cache never hands over binaries
 * unpacked under another data directory, and it learns which {@code PG-*} directory zonky uses.
 */
final class PostgresBinaries implements PgBinaryResolver {
    /** Which PostgreSQL: the one orgkeys runs, or the previous release's, kept only to upgrade its clusters. */
    enum Release {
        /** zonky's archive at its usual place on the class path (the BOM's version, see the parent pom). */
        EMBEDDED(18, null),
        /** The same kind of archive, moved by the build under a path of its own (adapters-persistence's pom). */
        PREVIOUS(14, "orgkeys/postgres-previous/");

        private final int major;
        private final String resourceDirectory;

        Release(int major, String resourceDirectory) {
            this.major = major;
            this.resourceDirectory = resourceDirectory;
        }

        int major() {
            return major;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final int DEEPEST_TREE_DELETED = 64;

    private final Path directory;
    private final Release release;
    private MessageDigest archiveDigest; // guarded by this
    private Path unpacked; // guarded by this

    private PostgresBinaries(Path directory, Release release) {
        this.directory = directory;
        this.release = release;
    }

    Release release() {
        return release;
    }

    /**
     * Readies {@code directory} before zonky looks into it: it exists, private to this user, and holds nothing that
     * another user could have written (earlier versions left it world-writable); otherwise it is replaced.
     */
    static PostgresBinaries prepare(Path directory, Release release) throws IOException {
        if (!DataDirectory.posix()) {
            Files.createDirectories(directory);
            return new PostgresBinaries(directory, release);
        }
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !onlyThisUserCouldHaveWritten(directory)) {
            Path aside = directory.resolveSibling(directory.getFileName() + ".untrusted-"
                    + Long.toHexString(new SecureRandom().nextLong()));
            log.warn("{} could have been changed by other users (earlier versions left it writable by everyone): "
                    + "the PostgreSQL binaries are unpacked afresh", directory);
            Files.move(directory, aside, StandardCopyOption.ATOMIC_MOVE); // nothing runs from it from here on
            try {
                deleteTree(aside);
            } catch (IOException e) {
                log.warn("Could not delete {} ({}): nothing uses it, delete it by hand", aside, e.toString());
            }
        }
        try {
            Files.createDirectory(directory, DataDirectory.privateDirectory());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // it is there and passed the check above
        }
        DataDirectory.restrict(directory, "rwx------"); // whatever the umask
        return new PostgresBinaries(directory, release);
    }

    /** Called by zonky: the archive from its jar, measured on the way, as zonky names the directory after its MD5. */
    @Override
    public synchronized InputStream getPgBinary(String system, String machineHardware) throws IOException {
        InputStream archive = release.resourceDirectory == null
                ? DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)
                : previousArchive(system, machineHardware);
        if (archive == null) return null;
        try {
            archiveDigest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        return new DigestInputStream(archive, archiveDigest);
    }

    /** The previous release's archive, named as zonky names its own (by distribution first, as zonky looks). */
    private InputStream previousArchive(String system, String machineHardware) throws IOException {
        String architecture = ArchUtils.normalize(machineHardware);
        String distribution = LinuxUtils.getDistributionName();
        List<String> names = new ArrayList<>();
        if (distribution != null) names.add("postgres-" + system + "-" + architecture + "-" + distribution + ".txz");
        names.add("postgres-" + system + "-" + architecture + ".txz");
        for (String name : names) {
            String resource = release.resourceDirectory + name.replace(' ', '_').toLowerCase(Locale.ROOT);
            InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
            if (archive != null) return archive;
        }
        throw new IOException("this jar has no PostgreSQL " + release.major() + " programs for " + system + " "
                + architecture + " (it was built for another platform: see docs/operations.md)");
    }

    /** Where zonky unpacked the programs; known once zonky has read the archive (before it runs initdb). */
    synchronized Path unpacked() {
        if (unpacked == null) {
            if (archiveDigest == null) throw new IllegalStateException("zonky has not unpacked the binaries yet");
            unpacked = directory.resolve("PG-" + HexFormat.of().formatHex(archiveDigest.digest()));
        }
        return unpacked;
    }

    /** The command line that runs {@code program} as zonky runs it (through {@code unshare -U} as root). */
    List<String> command(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
        Path executable = unpacked().resolve("bin").resolve(program);
        if (!Files.isRegularFile(executable)) throw new IllegalStateException(executable + " is missing");
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * Takes back what zonky gives away: it makes its working directory writable by everyone (by default that is a
     * shared one in /tmp), and a umask may have left unpacked files group-writable.
     */
    void seal() throws IOException {
        if (!DataDirectory.posix()) return;
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                if (Files.isSymbolicLink(path)) continue; // a link's own mode means nothing
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                if (permissions.removeAll(WRITABLE_BY_OTHERS)) Files.setPosixFilePermissions(path, permissions);
            }
        }
        DataDirectory.restrict(directory, "rwx------");
    }

    /** Private to this user, and every entry in it made by this user and writable by nobody else. */
    private static boolean onlyThisUserCouldHaveWritten(Path directory) {
        try {
            UserPrincipal thisUser = ownerOfWhatThisProcessCreates(directory.getParent());
            PosixFileAttributes top = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!top.isDirectory() || !top.owner().equals(thisUser)
                    || !top.permissions().equals(EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))) {
                return false;
            }
            try (Stream<Path> tree = Files.walk(directory)) {
                return tree.allMatch(path -> {
                    try {
                        PosixFileAttributes entry =
                                Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        return entry.owner().equals(thisUser)
                                && (entry.isSymbolicLink() || entry.permissions().stream().noneMatch(WRITABLE_BY_OTHERS::contains));
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            return false; // unreadable is untrusted
        }
    }

    /** The owner of a file this process creates: its effective user, without a name lookup that may not exist. */
    private static UserPrincipal ownerOfWhatThisProcessCreates(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, ".owner-", "");
        try {
            return Files.getOwner(probe);
        } finally {
            Files.delete(probe);
        }
    }

    /** Deletes {@code tree} and everything in it. */
    static void deleteTree(Path tree) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree)) {
            if (entries instanceof SecureDirectoryStream<Path> secure) {
                deleteContents(secure, 0);
            } else {
                deleteContentsWalking(tree);
            }
        }
        Files.delete(tree);
    }

    /**
     * Deletes through directory descriptors and never follows a link, so a directory swapped for a link while this
     * runs (by someone who could write in the tree) cannot make it delete anything outside.
     */
    private static void deleteContents(SecureDirectoryStream<Path> directory, int depth) throws IOException {
        if (depth > DEEPEST_TREE_DELETED) throw new IOException("deeper than " + DEEPEST_TREE_DELETED + " directories");
        for (Path entry : directory) {
            Path name = entry.getFileName();
            BasicFileAttributes attributes = directory
                    .getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            if (attributes.isDirectory()) {
                try (SecureDirectoryStream<Path> child = directory.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    deleteContents(child, depth + 1);
                }
                directory.deleteDirectory(name);
            } else {
                directory.deleteFile(name);
            }
        }
    }

    /** Where the platform has no secure directory streams: a walk, which does not follow links either. */
    private static void deleteContentsWalking(Path tree) throws IOException {
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) throw e;
                if (!directory.equals(tree)) Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
