package com.orgkeys.application.testing;

import com.orgkeys.application.passkey.port.out.WebAuthn;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A relying party for the services' tests, with {@link Authenticator}s that answer it. Options and answers are
 * {@code key=value;…} text: a challenge, and in an answer the credential id, the "signature" (the public key it
 * was made with) and the counter. It checks what Yubico's does that the services depend on: the challenge, the
 * passkey that signed, the allowed credentials and the counter going up.
 */
public final class FakeWebAuthn implements WebAuthn {
    /** An authenticator holding one credential, answering with its own counter (or a stale one, as a clone). */
    public static final class Authenticator {
        public final String credentialId = "cred-" + UUID.randomUUID();
        private final String publicKey = "key-" + UUID.randomUUID();
        private long counter;

        public String create(Options options) {
            return "challenge=" + field(options.publicKey(), "challenge") + ";credentialId=" + credentialId
                    + ";publicKey=" + publicKey + ";counter=" + counter;
        }

        public String get(Options options) {
            counter++;
            return answer(options, counter);
        }

        /** An answer with {@code counter} as it is, for a cloned authenticator whose counter stayed behind. */
        public String getWithCounter(Options options, long staleCounter) {
            return answer(options, staleCounter);
        }

        private String answer(Options options, long count) {
            return "challenge=" + field(options.publicKey(), "challenge") + ";credentialId=" + credentialId
                    + ";signedWith=" + publicKey + ";counter=" + count;
        }
    }

    @Override
    public Options startRegistration(UserId user, String userName, String displayName, List<Passkey> existing) {
        String options = "challenge=" + UUID.randomUUID() + ";user=" + user + ";exclude="
                + existing.stream().map(Passkey::credentialId).collect(Collectors.joining(","));
        return new Options(options, options);
    }

    @Override
    public NewCredential finishRegistration(String request, String credential, List<Passkey> existing) {
        Map<String, String> answer = parse(credential, InvalidInputException.class);
        if (!field(request, "challenge").equals(answer.get("challenge"))) {
            throw new InvalidInputException("credential", "is not a passkey made for these options");
        }
        return new NewCredential(answer.get("credentialId"), answer.get("publicKey"),
                Long.parseLong(answer.get("counter")));
    }

    @Override
    public Options startAssertion(List<Passkey> allowed) {
        String options = "challenge=" + UUID.randomUUID() + ";allow="
                + allowed.stream().map(Passkey::credentialId).collect(Collectors.joining(","));
        return new Options(options, options);
    }

    @Override
    public String credentialIdOf(String credential) {
        String id = parse(credential, InvalidInputException.class).get("credentialId");
        if (id == null) throw new InvalidInputException("credential", "is not a passkey's answer");
        return id;
    }

    @Override
    public long finishAssertion(String request, String credential, Passkey passkey) {
        Map<String, String> answer = parse(credential, UnauthenticatedException.class);
        String allowed = field(request, "allow");
        long counter = Long.parseLong(answer.getOrDefault("counter", "-1"));
        boolean holds = field(request, "challenge").equals(answer.get("challenge"))
                && passkey.credentialId().equals(answer.get("credentialId"))
                && passkey.publicKeyCose().equals(answer.get("signedWith"))
                && (allowed.isEmpty() || List.of(allowed.split(",")).contains(passkey.credentialId()))
                && (counter > passkey.signatureCount() || counter == 0 && passkey.signatureCount() == 0);
        if (!holds) throw new UnauthenticatedException("This passkey did not sign you in.");
        return counter;
    }

    private static String field(String text, String name) {
        return parse(text, IllegalStateException.class).getOrDefault(name, "");
    }

    private static Map<String, String> parse(String text, Class<? extends RuntimeException> failure) {
        Map<String, String> fields = new HashMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                if (failure == InvalidInputException.class) throw new InvalidInputException("credential", "malformed");
                if (failure == UnauthenticatedException.class) throw new UnauthenticatedException("malformed");
                throw new IllegalStateException("malformed: " + text);
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return fields;
    }
}
