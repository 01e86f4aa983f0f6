package com.orgkeys.persistence.retention;

import com.orgkeys.application.retention.port.out.AuditArchive;
import com.orgkeys.domain.audit.AuditEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * AUDIT_ARCHIVE_DIR: one JSON-lines file per UTC day ({@code audit-2026-12-02.jsonl}), each line one event in the
 * API's shape plus {@code organizationId}. Appends are written and fsynced before {@link #append} returns; one
 * writer at a time (the retention job's lock), so the file is opened, appended and closed per batch.
 */
public final class JsonLinesAuditArchive implements AuditArchive {
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;

    public JsonLinesAuditArchive(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The file that a run at {@code runAt} appends to. */
    public Path fileFor(Instant runAt) {
        return directory.resolve("audit-" + LocalDate.ofInstant(runAt, ZoneOffset.UTC) + ".jsonl");
    }

    @Override
    public void append(List<AuditEvent> events, Instant runAt) {
        if (events.isEmpty()) return;
        Path file = fileFor(runAt);
        StringBuilder text = new StringBuilder(events.size() * 256);
        for (AuditEvent event : events) line(event, text);
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        boolean created = !Files.exists(file);
        // never through a symbolic link (someone else's file), and readable by this user only: events name people
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
            long start = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                // a line cut short by a crash stays a line of its own rather than swallowing the next
                if (start > 0 && !endsWithNewline(channel, start)) buffer = prefixed(bytes);
                long position = start;
                while (buffer.hasRemaining()) position += channel.write(buffer, position);
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                truncateQuietly(channel, start);
                throw e;
            }
        } catch (IOException e) {
            throw new ArchiveFailedException("cannot append to " + file + ": " + describe(e), e);
        }
        if (created) syncDirectory();
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private static ByteBuffer prefixed(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1);
        buffer.put((byte) '\n').put(bytes).flip();
        return buffer;
    }

    /** Best effort: leave no half-written batch behind a failed append (it is retried, whole, on the next run). */
    private static void truncateQuietly(FileChannel channel, long size) {
        try {
            channel.truncate(size);
            channel.force(true);
        } catch (IOException ignored) {
            // the failure being reported matters more; a partial line is recognisable (it does not parse)
        }
    }

    /** A new file's directory entry is durable too (Linux); best effort where a directory cannot be opened. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // the file's data is synced; file systems that refuse this journal the entry themselves
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }

    /** {"id":…,"organizationId":…,"actor":…,"action":…,"target":…,"details":…,"clientAddress":…,"occurredAt":…} */
    static void line(AuditEvent e, StringBuilder out) {
        out.append('{');
        field(out, "id", e.id().toString()).append(',');
        field(out, "organizationId", e.organizationId().value().toString()).append(',');
        field(out, "actor", e.actor().value()).append(',');
        field(out, "action", e.action()).append(',');
        field(out, "target", e.target()).append(',');
        field(out, "details", e.details()).append(',');
        field(out, "clientAddress", e.clientAddress()).append(',');
        field(out, "occurredAt", e.occurredAt().toString());
        out.append("}\n");
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }
}
