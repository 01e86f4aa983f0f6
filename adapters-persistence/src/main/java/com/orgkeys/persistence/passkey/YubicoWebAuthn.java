package com.orgkeys.persistence.passkey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.application.passkey.port.out.WebAuthn;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.data.exception.Base64UrlException;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The WebAuthn relying party on Yubico's {@code webauthn-server-core}: relying party id the host of the public
 * origin ({@code BASE_URL}), that origin the only one accepted. Yubico's {@link CredentialRepository} is built per
 * ceremony from the passkeys the caller passes, so this holds no state and reads nothing. A user handle is the
 * user's id (16 bytes, nothing personal); Yubico's "username" is that id as text. Signature counters are checked
 * by Yubico ({@code validateSignatureCounter}): a counter that does not grow, where the authenticator keeps one,
 * fails the assertion (a cloned authenticator). Attestation is not asked for: any authenticator may hold a passkey.
 */
public final class YubicoWebAuthn implements WebAuthn {
    private static final long TIMEOUT_MILLIS = 120_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RelyingPartyIdentity identity;
    private final String origin;
    private final Clock clock;

    /** @param origin the public origin, e.g. {@code https://keys.example.com} */
    public YubicoWebAuthn(URI origin, String productName, Clock clock) {
        if (origin.getHost() == null) throw new IllegalArgumentException("origin without a host: " + origin);
        this.identity = RelyingPartyIdentity.builder().id(origin.getHost()).name(productName).build();
        this.origin = origin.getScheme() + "://" + origin.getRawAuthority();
        this.clock = clock;
    }

    @Override
    public Options startRegistration(UserId user, String userName, String displayName, List<Passkey> existing) {
        PublicKeyCredentialCreationOptions options = relyingParty(existing, userName).startRegistration(
                StartRegistrationOptions.builder()
                        .user(UserIdentity.builder().name(userName).displayName(displayName).id(handle(user)).build())
                        .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                                .residentKey(ResidentKeyRequirement.REQUIRED)
                                .userVerification(UserVerificationRequirement.REQUIRED).build())
                        .timeout(TIMEOUT_MILLIS)
                        .build());
        try {
            return new Options(options.toJson(), publicKey(options.toCredentialsCreateJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("WebAuthn options not serializable", e);
        }
    }

    @Override
    public NewCredential finishRegistration(String request, String credential, List<Passkey> existing) {
        try {
            RegistrationResult result = relyingParty(existing, "").finishRegistration(FinishRegistrationOptions.builder()
                    .request(PublicKeyCredentialCreationOptions.fromJson(request))
                    .response(PublicKeyCredential.parseRegistrationResponseJson(credential))
                    .build());
            return new NewCredential(result.getKeyId().getId().getBase64Url(), result.getPublicKeyCose().getBase64Url(),
                    result.getSignatureCount());
        } catch (RegistrationFailedException | IOException | IllegalArgumentException e) {
            throw new InvalidInputException("credential", "is not a passkey made for these options: "
                    + rootMessage(e));
        }
    }

    @Override
    public Options startAssertion(List<Passkey> allowed) {
        StartAssertionOptions.StartAssertionOptionsBuilder start = StartAssertionOptions.builder()
                .timeout(TIMEOUT_MILLIS);
        if (allowed.isEmpty()) {
            start.userVerification(UserVerificationRequirement.REQUIRED); // alone, the passkey must be two factors
        } else {
            start.username(allowed.getFirst().userId().toString())
                    .userVerification(UserVerificationRequirement.PREFERRED); // after the password
        }
        AssertionRequest assertion = relyingParty(allowed, allowed.isEmpty() ? ""
                : allowed.getFirst().userId().toString()).startAssertion(start.build());
        try {
            return new Options(assertion.toJson(), publicKey(assertion.toCredentialsGetJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("WebAuthn options not serializable", e);
        }
    }

    @Override
    public String credentialIdOf(String credential) {
        try {
            return PublicKeyCredential.parseAssertionResponseJson(credential).getId().getBase64Url();
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("credential", "is not a passkey's answer (PublicKeyCredential JSON)");
        }
    }

    @Override
    public long finishAssertion(String request, String credential, Passkey passkey) {
        try {
            AssertionResult result = relyingParty(List.of(passkey), passkey.userId().toString()).finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(request))
                    .response(PublicKeyCredential.parseAssertionResponseJson(credential))
                    .build());
            if (!result.isSuccess()) throw new UnauthenticatedException(wrong());
            return result.getSignatureCount();
        } catch (AssertionFailedException | IOException | IllegalArgumentException e) {
            throw new UnauthenticatedException(wrong());
        }
    }

    /** The options for the browser: Yubico's {@code {"publicKey": …}}, made for the browser (base64url), unwrapped. */
    private static String publicKey(String credentialsJson) throws JsonProcessingException {
        return JSON.readTree(credentialsJson).get("publicKey").toString();
    }

    private static String wrong() {
        return "The passkey's answer does not hold.";
    }

    /** @param username who Yubico asks about by name: the user's email at registration, their id at sign-in */
    private RelyingParty relyingParty(List<Passkey> passkeys, String username) {
        return RelyingParty.builder().identity(identity).credentialRepository(new Known(passkeys, username))
                .origins(Set.of(origin)).clock(clock).build();
    }

    static ByteArray handle(UserId user) {
        UUID id = user.value();
        return new ByteArray(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array());
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) cause = cause.getCause();
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    /**
     * The passkeys of one ceremony, all of one user, as Yubico asks for them; {@code username} is the name Yubico
     * asks about for that user (at sign-in, when it finds the user by handle, it is the id as text).
     */
    private record Known(List<Passkey> passkeys, String username) implements CredentialRepository {
        @Override
        public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String name) {
            if (name == null || !name.equals(username)) return Set.of();
            return passkeys.stream()
                    .map(p -> PublicKeyCredentialDescriptor.builder().id(bytes(p.credentialId())).build())
                    .collect(Collectors.toSet());
        }

        @Override
        public Optional<ByteArray> getUserHandleForUsername(String name) {
            if (name == null || !name.equals(username)) return Optional.empty();
            return passkeys.stream().findFirst().map(p -> handle(p.userId()));
        }

        @Override
        public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
            return passkeys.stream().filter(p -> handle(p.userId()).equals(userHandle)).findFirst()
                    .map(p -> p.userId().toString());
        }

        @Override
        public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
            return passkeys.stream().filter(p -> bytes(p.credentialId()).equals(credentialId)
                    && handle(p.userId()).equals(userHandle)).findFirst().map(Known::registered);
        }

        @Override
        public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
            return passkeys.stream().filter(p -> bytes(p.credentialId()).equals(credentialId))
                    .map(Known::registered).collect(Collectors.toSet());
        }

        private static RegisteredCredential registered(Passkey p) {
            return RegisteredCredential.builder().credentialId(bytes(p.credentialId())).userHandle(handle(p.userId()))
                    .publicKeyCose(bytes(p.publicKeyCose())).signatureCount(p.signatureCount()).build();
        }

        private static ByteArray bytes(String base64url) {
            try {
                return ByteArray.fromBase64Url(base64url);
            } catch (Base64UrlException e) {
                throw new IllegalStateException("stored credential is not base64url", e);
            }
        }
    }
}
