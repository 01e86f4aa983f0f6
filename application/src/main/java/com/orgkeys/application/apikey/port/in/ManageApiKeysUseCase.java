package com.orgkeys.application.apikey.port.in;

import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The organization's API keys: create (secret shown once), list and search, read, revoke. */
public interface ManageApiKeysUseCase {
    /**
     * @param lifetime  how long the key works, from now; empty for a key that does not expire
     * @param requestId an idempotency key chosen by the client (the dashboard's form nonce): a second request
     *                  with the same one by the same caller makes no second key, on any node, and is refused
     *                  with a conflict (the secret exists only in the first answer)
     */
    record CreateApiKeyCommand(String name, String description, Optional<List<String>> scopes,
                               Optional<Duration> lifetime, Optional<String> requestId) {
        /** At most this many characters; stored only as a hash. */
        public static final int MAX_REQUEST_ID_LENGTH = 255;

        public CreateApiKeyCommand(String name, String description, Optional<List<String>> scopes,
                                   Optional<Duration> lifetime) {
            this(name, description, scopes, lifetime, Optional.empty());
        }
    }

    /** {@code text}: a search, or null; {@code status}: empty for keys of every status. */
    record ListApiKeysQuery(String text, Optional<ApiKeyStatus> status, PageRequest page) {
    }

    /** A key with its status now. */
    record ApiKeyWithStatus(ApiKey key, ApiKeyStatus status) {
    }

    /** The new key, its status and its secret: the only time the secret exists outside the caller's hands. */
    record CreatedApiKey(ApiKey key, ApiKeyStatus status, String secret) {
        @Override
        public String toString() {
            return "CreatedApiKey[" + key.id() + "]";
        }
    }

    CreatedApiKey createApiKey(Caller caller, CreateApiKeyCommand command);

    Page<ApiKeyWithStatus> listApiKeys(Caller caller, ListApiKeysQuery query);

    ApiKeyWithStatus getApiKey(Caller caller, ApiKeyId id);

    ApiKeyWithStatus revokeApiKey(Caller caller, ApiKeyId id, Optional<String> reason);
}
