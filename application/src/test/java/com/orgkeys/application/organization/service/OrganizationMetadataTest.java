package com.orgkeys.application.organization.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.CreateOrganizationCommand;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.MetadataCommand;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.UpdateOrganizationCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Organizations' metadata (issue 23) through the use case, over in-memory fakes. */
class OrganizationMetadataTest {
    private final TestApplication app = new TestApplication();
    private final SignedIn ada = app.signUp("Ada");
    private final Organization engines = app.organization("Engines", ada);
    private final SecretKeyCaller backend = new SecretKeyCaller(SecretKeyId.random(), Optional.of(engines.id()), "");

    private static MetadataCommand publicOnly(Object value) {
        return new MetadataCommand(Optional.of(value), Optional.empty());
    }

    @Test
    void a_member_cannot_set_metadata_through_the_profile_update_and_nothing_changes() {
        Object before = app.contents();
        assertThrows(ForbiddenException.class, () -> app.organizationService.updateOrganization(app.callerOf(ada),
                new UpdateOrganizationCommand(Optional.of("Renamed"), Optional.empty(), Optional.empty(),
                        publicOnly(Map.of("plan", "free")))));
        assertThrows(ForbiddenException.class, () -> app.organizationService.createOrganization(app.callerOf(ada),
                new CreateOrganizationCommand("Mine", Optional.empty(), publicOnly(Map.of("plan", "free")))));
        assertEquals(before, app.contents());
    }

    @Test
    void merges_deeply_is_audited_as_the_key_and_members_read_only_the_public_object() {
        app.organizationService.replaceMetadata(backend, new MetadataCommand(
                Optional.of(Map.of("a", 1, "n", Map.of("x", 1, "y", 2))), Optional.of(Map.of("secret", "s"))));
        Map<String, Object> patch = new HashMap<>();
        patch.put("a", null);
        patch.put("n", new HashMap<>(Map.of("z", 3)));
        app.clock.advance(Duration.ofSeconds(1)); // the audit log lists newest first; one instant would leave it to ids
        OrganizationMetadata merged = app.organizationService.mergeMetadata(backend, publicOnly(patch));

        assertEquals(Map.of("n", Map.of("x", 1, "y", 2, "z", 3)), merged.publicMetadata().values());
        assertEquals(Map.of("secret", "s"), merged.privateMetadata().values());
        assertEquals(merged.publicMetadata(), app.organizationService.getPublicMetadata(app.callerOf(ada)));
        assertEquals(List.of("secret_key:" + backend.keyId().value() + " merged: public_metadata",
                        "secret_key:" + backend.keyId().value() + " replaced: public_metadata, private_metadata"),
                app.auditLog.all(engines.id()).stream().filter(e -> e.action().equals("organization.metadata_updated"))
                        .map(e -> e.actor() + " " + e.details()).toList());
    }

    @Test
    void bad_metadata_changes_nothing() {
        Object before = app.contents();
        for (Object bad : List.of(List.of(1), "text", Map.of("k", "x".repeat(8200)), Map.of("k", "a\u0000b"))) {
            var refused = assertThrows(InvalidInputException.class,
                    () -> app.organizationService.mergeMetadata(backend, publicOnly(bad)));
            assertEquals("public_metadata", refused.errors().get(0).field());
            assertThrows(InvalidInputException.class, () -> app.organizationService.updateOrganization(backend,
                    new UpdateOrganizationCommand(Optional.of("Renamed"), Optional.empty(), Optional.empty(), publicOnly(bad))));
        }
        assertEquals(before, app.contents());
        assertTrue(app.organizationService.getMetadata(backend).equals(OrganizationMetadata.EMPTY));
    }
}
