package com.orgkeys.application.sessiontoken.service;

import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.application.sessiontoken.port.in.IssueSessionTokenUseCase;
import com.orgkeys.application.sessiontoken.port.in.ReadSigningKeysUseCase;
import com.orgkeys.application.sessiontoken.port.in.RotateSigningKeysUseCase;
import com.orgkeys.application.sessiontoken.port.out.JwtSigner;
import com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository;
import com.orgkeys.application.twofactor.port.out.SecretCipher;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.domain.sessiontoken.SigningKey;
import com.orgkeys.domain.shared.ConflictException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Session tokens: RS256 JWTs of {@link #TOKEN_LIFETIME}, signed with keys every node shares through the database.
 * <ul>
 *   <li>The first node that needs a key makes generation 1 (several at once: one row wins, the others read it).</li>
 *   <li>A rotation (the CLI, or a node finding the newest key older than {@link #ROTATION_PERIOD}) adds the next
 *   generation: in the JWKS at once, signing only {@link #PUBLISH_AHEAD} later, longer than the JWKS may be cached
 *   ({@code max-age}) and than nodes hold their list ({@link #RELOAD_INTERVAL}).</li>
 *   <li>A key stays in the JWKS until {@link #TOKEN_LIFETIME} plus {@link #RETIRED_KEY_GRACE} after the next one
 *   started signing: every token it signed has expired by then. Its private part is deleted as soon as it no longer
 *   signs.</li>
 * </ul>
 * Each node reloads the keys when its list is older than {@link #RELOAD_INTERVAL}, on the next request: rotations
 * need no signal between nodes, as keys sign from a time written in their row.
 */
public final class SessionTokenService implements IssueSessionTokenUseCase, ReadSigningKeysUseCase,
        RotateSigningKeysUseCase {
    public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** How long a new key is published before it signs. */
    public static final Duration PUBLISH_AHEAD = Duration.ofMinutes(10);
    /** The age at which a node adds the next key by itself. */
    public static final Duration ROTATION_PERIOD = Duration.ofDays(30);
    /** How long a retired key stays published after its last token expired: verifiers' clock skew. */
    public static final Duration RETIRED_KEY_GRACE = Duration.ofMinutes(5);
    public static final Duration RELOAD_INTERVAL = Duration.ofMinutes(1);

    private final SigningKeyRepository keys;
    private final JwtSigner jwt;
    private final ReadServerSecretsUseCase secrets;
    private final SecretCipher cipher;
    private final UserRepository users;
    private final Clock clock;
    private final String issuer;
    private final ReentrantLock loading = new ReentrantLock();
    /** The keys as last read, newest generation first; null before the first read. */
    private volatile Loaded loaded;

    private record Loaded(List<SigningKey> keys, Instant at, Map<Integer, byte[]> privateKeys) {
    }

    /** @param issuer the public origin (BASE_URL): the tokens' {@code iss} and {@code azp} */
    public SessionTokenService(SigningKeyRepository keys, JwtSigner jwt, ReadServerSecretsUseCase secrets,
                               SecretCipher cipher, UserRepository users, Clock clock, URI issuer) {
        this.keys = keys;
        this.jwt = jwt;
        this.secrets = secrets;
        this.cipher = cipher;
        this.users = users;
        this.clock = clock;
        String origin = issuer.toString();
        this.issuer = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    @Override
    public SessionToken issue(UserCaller caller) {
        Loaded current = current();
        Instant now = clock.instant();
        SigningKey signer = signerAt(current.keys(), now);
        byte[] privateKey = current.privateKeys().computeIfAbsent(signer.generation(), g -> open(signer));
        Instant expires = now.plus(TOKEN_LIFETIME);
        // read now, as the session itself: a change by the backend is in the next token
        Map<String, Object> publicMetadata = users.profile(caller.userId())
                .map(p -> p.metadata().publicMetadata().values()).orElse(Map.of());
        return new SessionToken(jwt.sign(signer.kid(), privateKey, claims(caller, now, expires, publicMetadata)),
                Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    /**
     * What a token says, one line per claim; {@code public_metadata} is the user's (readable by them anyway).
     * The organization claims follow the rest of the API: none without an active organization, and none while that
     * organization holds the user back for a missing second factor (they could use none of its permissions).
     */
    Map<String, Object> claims(UserCaller caller, Instant now, Instant expires, Map<String, Object> publicMetadata) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", caller.userId().toString());
        claims.put("sid", caller.sessionId().toString());
        claims.put("azp", issuer);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("public_metadata", publicMetadata);
        if (caller.organizationId().isPresent() && !caller.secondFactorMissing()) {
            claims.put("org_id", caller.organizationId().get().toString());
            caller.role().ifPresent(role -> claims.put("org_role", role.value()));
            claims.put("org_permissions", Permission.ALL.stream().filter(caller.permissions()::contains)
                    .map(Permission::value).toList());
        }
        return claims;
    }

    @Override
    public List<Map<String, Object>> publicJwks() {
        Instant now = clock.instant();
        List<SigningKey> all = current().keys();
        return all.stream().filter(k -> published(k, all, now)).map(k -> jwt.publicJwk(k.kid(), k.publicKey())).toList();
    }

    @Override
    public SigningKey rotateSigningKeys(String by) {
        List<SigningKey> all = keys.all();
        Instant now = clock.instant();
        SigningKey next = all.isEmpty() ? newKey(1, now, now, by)
                : newKey(all.getFirst().generation() + 1, now, now.plus(PUBLISH_AHEAD), by);
        if (!keys.add(next)) {
            throw new ConflictException("Another rotation of the signing keys ran at the same time; nothing was "
                    + "changed. Run it again if you need a new key.");
        }
        reload();
        return next;
    }

    /** The keys, read again when the list held is older than {@link #RELOAD_INTERVAL} (by one request at a time). */
    private Loaded current() {
        Loaded held = loaded;
        if (held != null && clock.instant().isBefore(held.at().plus(RELOAD_INTERVAL))) return held;
        // while one request reloads, the others sign with the list they have; before the first read they wait
        if (held != null && !loading.tryLock()) return held;
        if (held == null) loading.lock();
        try {
            Loaded now = loaded;
            if (now != held && now != null) return now;
            try {
                return reloadLocked();
            } catch (RuntimeException e) {
                // the database is away: sign and publish with the keys held (the next request tries again);
                // without any, the request fails as every other that needs the database
                if (held == null) throw e;
                return held;
            }
        } finally {
            loading.unlock();
        }
    }

    /** Reads the keys again now: after a rotation made by this process. */
    public void reload() {
        loading.lock();
        try {
            reloadLocked();
        } finally {
            loading.unlock();
        }
    }

    private Loaded reloadLocked() {
        Instant now = clock.instant();
        List<SigningKey> all = keys.all();
        if (all.isEmpty()) {
            keys.add(newKey(1, now, now, "first-use")); // false: another node made it first
            all = keys.all();
        } else if (!all.getFirst().createdAt().plus(ROTATION_PERIOD).isAfter(now)) {
            keys.add(newKey(all.getFirst().generation() + 1, now, now.plus(PUBLISH_AHEAD), "automatic:age"));
            all = keys.all();
        }
        if (all.isEmpty()) throw new IllegalStateException("no signing key after making one");
        SigningKey signer = signerAt(all, now);
        // a key that no longer signs needs no private part: its tokens verify with the public one
        if (all.stream().anyMatch(k -> k.generation() < signer.generation() && k.privateKey().isPresent())) {
            keys.forgetPrivateKeysBelow(signer.generation());
        }
        Map<Integer, byte[]> privateKeys = new ConcurrentHashMap<>();
        Loaded previous = loaded;
        if (previous != null) privateKeys.putAll(previous.privateKeys());
        privateKeys.keySet().removeIf(g -> g < signer.generation());
        Loaded fresh = new Loaded(List.copyOf(all), now, privateKeys);
        loaded = fresh;
        return fresh;
    }

    /** The newest generation that signs at {@code now} (the oldest with a private key, if clocks disagree). */
    private static SigningKey signerAt(List<SigningKey> newestFirst, Instant now) {
        return newestFirst.stream().filter(k -> !k.signsFrom().isAfter(now) && k.privateKey().isPresent()).findFirst()
                .or(() -> newestFirst.stream().filter(k -> k.privateKey().isPresent())
                        .min(Comparator.comparingInt(SigningKey::generation)))
                .orElseThrow(() -> new IllegalStateException("no signing key has a private key"));
    }

    /**
     * Whether {@code key} is in the JWKS: it has not been retired (a newer generation started signing), or was
     * retired less than the token lifetime and the grace ago.
     */
    static boolean published(SigningKey key, List<SigningKey> all, Instant now) {
        Optional<Instant> retired = all.stream().filter(k -> k.generation() > key.generation())
                .map(SigningKey::signsFrom).filter(from -> !from.isAfter(now)).min(Comparator.naturalOrder());
        return retired.isEmpty() || now.isBefore(retired.get().plus(TOKEN_LIFETIME).plus(RETIRED_KEY_GRACE));
    }

    private SigningKey newKey(int generation, Instant now, Instant signsFrom, String by) {
        JwtSigner.GeneratedKey generated = jwt.generate();
        ServerSecret secret = secrets.currentSecret(SecretPurpose.SIGNING_KEYS);
        byte[] sealed = cipher.seal(secret.key(), generated.privateKey(), associatedData(generated.kid()));
        return new SigningKey(generation, generated.kid(), generated.publicKey(),
                Optional.of(new SigningKey.SealedPrivateKey(secret.version(), sealed)), now, signsFrom, by);
    }

    private byte[] open(SigningKey key) {
        SigningKey.SealedPrivateKey sealed = key.privateKey().orElseThrow();
        ServerSecret secret = secrets.secret(SecretPurpose.SIGNING_KEYS, sealed.serverSecretVersion())
                .orElseThrow(() -> new IllegalStateException("no signing-keys secret version " + sealed.serverSecretVersion()));
        return cipher.open(secret.key(), sealed.ciphertext(), associatedData(key.kid()));
    }

    /** The kid is bound to the sealed private key: a ciphertext copied to another row does not open. */
    private static byte[] associatedData(String kid) {
        return ("orgkeys-signing-key\n" + kid).getBytes(StandardCharsets.UTF_8);
    }
}
