package com.orgkeys.persistence.retention;

import com.orgkeys.application.retention.port.out.AuditArchive.ArchiveFailedException;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.organization.OrganizationId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesAuditArchiveTest {
    private static final Instant RUN = Instant.parse("2026-12-02T23:59:59Z");

    @TempDir
    Path dir;

    @Test
    void each_event_is_one_escaped_line_in_the_file_of_the_runs_utc_day() throws Exception {
        AuditEvent event = new AuditEvent(UUID.fromString("11111111-2222-4333-8444-555555555555"),
                new OrganizationId(UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")),
                new UserActor(new UserId(UUID.fromString("99999999-8888-4777-8666-555555555555"))), "member.added",
                "\"quoted\" \\ back", "line\nbreak\ttab\u0001\u2028", "203.0.113.7",
                Instant.parse("2025-01-02T03:04:05.123456Z"));
        JsonLinesAuditArchive archive = new JsonLinesAuditArchive(dir);

        archive.append(List.of(event), RUN);
        archive.append(List.of(event), RUN.plusSeconds(1)); // the next UTC day: the next file

        String line = "{\"id\":\"11111111-2222-4333-8444-555555555555\","
                + "\"organizationId\":\"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee\","
                + "\"actor\":\"user:99999999-8888-4777-8666-555555555555\",\"action\":\"member.added\","
                + "\"target\":\"\\\"quoted\\\" \\\\ back\",\"details\":\"line\\nbreak\\ttab\\u0001\\u2028\","
                + "\"clientAddress\":\"203.0.113.7\",\"occurredAt\":\"2025-01-02T03:04:05.123456Z\"}\n";
        assertEquals(line, Files.readString(dir.resolve("audit-2026-12-02.jsonl")));
        assertEquals(line, Files.readString(dir.resolve("audit-2026-12-03.jsonl")));
    }

    @Test
    void appends_keep_what_is_there_and_a_line_cut_by_a_crash_stays_on_its_own() throws Exception {
        Path file = dir.resolve("audit-2026-12-02.jsonl");
        Files.writeString(file, "{\"id\":\"earlier\"}\n{\"id\":\"cut sho", StandardCharsets.UTF_8);

        new JsonLinesAuditArchive(dir).append(List.of(event(), event()), RUN);

        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("{\"id\":\"earlier\"}", lines.get(0));
        assertEquals("{\"id\":\"cut sho", lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"id\":\"") && lines.get(3).endsWith("Z\"}"), lines.toString());
    }

    @Test
    void a_directory_that_is_missing_or_no_directory_fails_naming_the_file() throws Exception {
        for (Path bad : List.of(dir.resolve("missing"), Files.writeString(dir.resolve("file"), ""))) {
            var failure = assertThrows(ArchiveFailedException.class,
                    () -> new JsonLinesAuditArchive(bad).append(List.of(event()), RUN));
            assertTrue(failure.getMessage().startsWith("cannot append to " + bad.resolve("audit-2026-12-02.jsonl")),
                    failure.getMessage());
        }
    }

    @Test
    void a_new_file_is_the_owners_only_and_a_symbolic_link_in_its_place_is_never_followed() throws Exception {
        new JsonLinesAuditArchive(dir).append(List.of(event()), RUN);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("audit-2026-12-02.jsonl"))));

        Path elsewhere = Files.writeString(dir.resolve("someone-elses-file"), "theirs\n");
        Files.createSymbolicLink(dir.resolve("audit-2026-12-03.jsonl"), elsewhere);
        assertThrows(ArchiveFailedException.class,
                () -> new JsonLinesAuditArchive(dir).append(List.of(event()), RUN.plusSeconds(1)));
        assertEquals("theirs\n", Files.readString(elsewhere));
    }

    private static AuditEvent event() {
        return new AuditEvent(UUID.randomUUID(), new OrganizationId(UUID.randomUUID()), new UserActor(UserId.random()),
                "member.added", "", "", "", RUN);
    }
}
