package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.metadata.Metadata;
import com.orgkeys.domain.caller.UserCaller;

/**
 * The signed-in user's own metadata: they read the public one and read and write the unsafe one; the private one is
 * the backend's and never shown to them.
 */
public interface AccountMetadataUseCase {
    record AccountMetadata(Metadata publicMetadata, Metadata unsafeMetadata) {
    }

    AccountMetadata getMetadata(UserCaller caller);

    /** Replaces the unsafe metadata with {@code unsafeMetadata} (a JSON object of at most 8 KB). */
    AccountMetadata replaceUnsafeMetadata(UserCaller caller, Object unsafeMetadata);
}
