package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.AccountMetadataUseCase;
import com.orgkeys.application.account.port.in.AccountMetadataUseCase.AccountMetadata;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

import java.util.Map;

/**
 * The signed-in user's metadata: the public one to read (the backend writes it), the unsafe one to read and replace.
 * The private one is the backend's and is not here.
 */
public final class AccountMetadataRoutes {
    record MetadataJson(Map<String, Object> publicMetadata, Map<String, Object> unsafeMetadata) {
        static MetadataJson of(AccountMetadata metadata) {
            return new MetadataJson(metadata.publicMetadata().values(), metadata.unsafeMetadata().values());
        }
    }

    record UpdateRequest(Object unsafeMetadata) {
    }

    private final AccountMetadataUseCase metadata;
    private final Authenticator auth;

    public AccountMetadataRoutes(AccountMetadataUseCase metadata, Authenticator auth) {
        this.metadata = metadata;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/account/metadata", Access.USER, this::get);
        router.patch("/api/account/metadata", Access.USER, this::update);
    }

    private void get(HttpCall call) {
        UserCaller user = auth.requireUser(call);
        call.json(200, MetadataJson.of(metadata.getMetadata(user)));
    }

    /** Replaces the unsafe metadata, as Clerk's {@code user.update({unsafeMetadata})} does. */
    private void update(HttpCall call) {
        UserCaller user = auth.requireUser(call);
        UpdateRequest body = call.body(UpdateRequest.class);
        if (body.unsafeMetadata() == null) throw new InvalidInputException("unsafeMetadata", "is required");
        call.json(200, MetadataJson.of(metadata.replaceUnsafeMetadata(user, body.unsafeMetadata())));
    }
}
