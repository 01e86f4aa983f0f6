package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.shared.BoundedMap;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.shared.RateLimitedException;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The sign-in and sign-up limits of one process, in memory (a restart forgets them, which only ever helps a
 * user; several processes each apply their own). Every decision and every counter change happens under one
 * lock, so a reservation is atomic; sign-ins are rare next to API traffic, so the lock costs nothing that shows.
 *
 * <p>Sign-in, from the tightest limit to the loosest:
 * <ol>
 * <li>Per account and client address: {@link #ATTEMPTS_PER_ACCOUNT_AND_ADDRESS} attempts at once, then one more
 *     every {@link #ACCOUNT_AND_ADDRESS_INTERVAL}. An attempt holds its token while the password is checked;
 *     a success gives it back and wipes the pair's count.</li>
 * <li>Per account, from anywhere: after {@link #ACCOUNT_FAILURES_BEFORE_DELAY} consecutive failures each further
 *     attempt waits twice as long as the one before ({@link #FIRST_DELAY}, capped at {@link #MAX_DELAY}); at
 *     {@link #ACCOUNT_LOCKOUT_AFTER} consecutive failures the account is refused until its failures are
 *     forgotten, {@link #ACCOUNT_MEMORY} after the last one (NIST SP 800-63B-4: at most 100 consecutive
 *     failures).</li>
 * <li>Per client address, across accounts: {@link #FAILURES_PER_ADDRESS} failures at once, then one more every
 *     {@link #ADDRESS_INTERVAL}.</li>
 * </ol>
 * An address from which the account signed in within {@link #KNOWN_ADDRESS_MEMORY} skips the account's delays
 * and the address limit (only the first and the lockout apply): an attacker elsewhere cannot lock the owner out
 * of their usual address, nor a guesser in the same office lock out everyone behind its NAT.
 *
 * <p>Sign-up: {@link #SIGN_UPS_PER_ADDRESS} per client address at once, then one more every
 * {@link #SIGN_UP_INTERVAL}; every attempt counts, as each costs a password hash and may reveal an address.
 *
 * <p>IPv6 clients are counted per /64, the block one subscriber usually gets. Keys are 128 bits of SHA-256 of
 * the normalized email and address; each map holds at most {@link #MAX_KEYS} of them ({@link BoundedMap}).
 */
public final class InMemoryAccountThrottle implements AccountThrottle {
    public static final int ATTEMPTS_PER_ACCOUNT_AND_ADDRESS = 5;
    public static final Duration ACCOUNT_AND_ADDRESS_INTERVAL = Duration.ofMinutes(3);
    public static final int ACCOUNT_FAILURES_BEFORE_DELAY = 10;
    public static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    public static final int ACCOUNT_LOCKOUT_AFTER = 100;
    public static final Duration ACCOUNT_MEMORY = Duration.ofHours(24);
    public static final int FAILURES_PER_ADDRESS = 50;
    public static final Duration ADDRESS_INTERVAL = Duration.ofSeconds(18);
    public static final Duration KNOWN_ADDRESS_MEMORY = Duration.ofDays(30);
    public static final int SIGN_UPS_PER_ADDRESS = 20;
    public static final Duration SIGN_UP_INTERVAL = Duration.ofMinutes(3);
    static final int MAX_KEYS = 20_000;

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** 128 bits of a SHA-256: fixed-size whatever the input, and no input can be recovered from it. */
    record Key(long high, long low) {
    }

    /**
     * A token bucket kept as one number (the generic cell rate algorithm): {@code until} is when it will be full
     * again. Taking a token moves it one interval later; a bucket that would be more than {@code capacity}
     * intervals away from full is empty.
     */
    private static final class Bucket {
        long until;
    }

    private record Rate(int capacity, long intervalMillis) {
        Rate(int capacity, Duration interval) {
            this(capacity, interval.toMillis());
        }

        /** Milliseconds until a token is available; 0 when one is. */
        long waitFor(Bucket bucket, long now) {
            if (bucket == null) return 0;
            long after = Math.max(bucket.until, now) + intervalMillis;
            return Math.max(0, after - now - capacity * intervalMillis);
        }

        void take(Bucket bucket, long now) {
            bucket.until = Math.max(bucket.until, now) + intervalMillis;
        }

        void giveBack(Bucket bucket) {
            bucket.until -= intervalMillis;
        }

        boolean isFull(Bucket bucket, long now) {
            return bucket.until <= now;
        }

        boolean isMostlyUsed(Bucket bucket, long now) {
            return bucket.until - now > capacity * intervalMillis / 2;
        }
    }

    /** Consecutive failures of one account, and attempts under way that may add to them. */
    private static final class AccountFailures {
        int failures;
        int pending;
        long lastFailure;
        long notBefore;
    }

    private static final Rate PAIR = new Rate(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, ACCOUNT_AND_ADDRESS_INTERVAL);
    private static final Rate ADDRESS = new Rate(FAILURES_PER_ADDRESS, ADDRESS_INTERVAL);
    private static final Rate SIGN_UP = new Rate(SIGN_UPS_PER_ADDRESS, SIGN_UP_INTERVAL);

    private final Clock clock;
    /** The time of the operation under way, for the maps' predicates (read and written under the lock). */
    private long now;
    private final BoundedMap<Key, Bucket> pairs = new BoundedMap<>(MAX_KEYS,
            b -> PAIR.isFull(b, now), b -> PAIR.isMostlyUsed(b, now));
    private final BoundedMap<Key, Bucket> addresses = new BoundedMap<>(MAX_KEYS,
            b -> ADDRESS.isFull(b, now), b -> ADDRESS.isMostlyUsed(b, now));
    private final BoundedMap<Key, AccountFailures> accounts = new BoundedMap<>(MAX_KEYS,
            a -> a.pending == 0 && (a.failures == 0 || isForgotten(a)),
            a -> a.failures >= ACCOUNT_FAILURES_BEFORE_DELAY);
    /** Account and address pairs that signed in: when. Only a correct password adds one, so no flood can. */
    private final BoundedMap<Key, Long> knownPairs = new BoundedMap<>(MAX_KEYS,
            at -> now - at >= KNOWN_ADDRESS_MEMORY.toMillis(), at -> false);
    private final BoundedMap<Key, Bucket> signUps = new BoundedMap<>(MAX_KEYS,
            b -> SIGN_UP.isFull(b, now), b -> SIGN_UP.isMostlyUsed(b, now));

    public InMemoryAccountThrottle(Clock clock) {
        this.clock = clock;
    }

    @Override
    public SignInAttempt reserveSignIn(Email account, String clientAddress) {
        String addressBlock = addressBlock(clientAddress);
        Key accountKey = key("account", account.value());
        Key addressKey = key("address", addressBlock);
        Key pairKey = key("pair", account.value() + "\n" + addressBlock);
        synchronized (this) {
            now = clock.millis();
            Long signedInAt = knownPairs.get(pairKey);
            boolean known = signedInAt != null && now - signedInAt < KNOWN_ADDRESS_MEMORY.toMillis();
            AccountFailures failures = accounts.get(accountKey);
            if (failures != null && failures.pending == 0 && isForgotten(failures)) {
                accounts.remove(accountKey);
                failures = null;
            }
            long wait = PAIR.waitFor(pairs.get(pairKey), now);
            if (failures != null) wait = Math.max(wait, accountWait(failures, known));
            if (!known) wait = Math.max(wait, ADDRESS.waitFor(addresses.get(addressKey), now));
            if (wait > 0) throw refused("Too many failed sign-in attempts", wait);

            PAIR.take(pairs.getOrCreate(pairKey, Bucket::new), now);
            if (!known) {
                ADDRESS.take(addresses.getOrCreate(addressKey, Bucket::new), now);
                AccountFailures reserved = accounts.getOrCreate(accountKey, AccountFailures::new);
                reserved.pending++;
                reserved.notBefore = Math.max(reserved.notBefore, now + delayAfter(reserved.failures + reserved.pending));
            }
            return new Attempt(accountKey, addressKey, pairKey, known);
        }
    }

    /** How long an attempt on this account must wait, in milliseconds. */
    private long accountWait(AccountFailures account, boolean knownAddress) {
        if (account.failures + account.pending >= ACCOUNT_LOCKOUT_AFTER) {
            return Math.max(1_000, account.lastFailure + ACCOUNT_MEMORY.toMillis() - now);
        }
        return knownAddress ? 0 : Math.max(0, account.notBefore - now);
    }

    private boolean isForgotten(AccountFailures account) {
        return now - account.lastFailure >= ACCOUNT_MEMORY.toMillis();
    }

    /** The wait before the next attempt once {@code failures} attempts have failed (or may yet). */
    static long delayAfter(int failures) {
        if (failures < ACCOUNT_FAILURES_BEFORE_DELAY) return 0;
        int doublings = Math.min(failures - ACCOUNT_FAILURES_BEFORE_DELAY, 30);
        return Math.min(FIRST_DELAY.toMillis() << doublings, MAX_DELAY.toMillis());
    }

    private final class Attempt implements SignInAttempt {
        private final Key account;
        private final Key address;
        private final Key pair;
        private final boolean known;
        private boolean concluded;

        Attempt(Key account, Key address, Key pair, boolean known) {
            this.account = account;
            this.address = address;
            this.pair = pair;
            this.known = known;
        }

        @Override
        public void succeeded() {
            synchronized (InMemoryAccountThrottle.this) {
                if (!conclude()) return;
                pairs.remove(pair);
                if (!known) giveBack(addresses, address, ADDRESS);
                accounts.remove(account); // consecutive failures end here; attempts under way count on their own
                knownPairs.put(pair, now);
            }
        }

        @Override
        public void failed() {
            synchronized (InMemoryAccountThrottle.this) {
                if (!conclude()) return;
                AccountFailures failures = accounts.getOrCreate(account, AccountFailures::new);
                if (!known && failures.pending > 0) failures.pending--;
                failures.failures++;
                failures.lastFailure = now;
                failures.notBefore = Math.max(failures.notBefore, now + delayAfter(failures.failures));
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryAccountThrottle.this) {
                if (!conclude()) return;
                giveBack(pairs, pair, PAIR);
                if (!known) {
                    giveBack(addresses, address, ADDRESS);
                    AccountFailures failures = accounts.get(account);
                    if (failures != null && failures.pending > 0) failures.pending--;
                }
            }
        }

        /** Marks the attempt concluded; false when it already was (an outcome counts once). */
        private boolean conclude() {
            if (concluded) return false;
            concluded = true;
            now = clock.millis();
            return true;
        }
    }

    private static void giveBack(BoundedMap<Key, Bucket> map, Key key, Rate rate) {
        Bucket bucket = map.get(key);
        if (bucket != null) rate.giveBack(bucket);
    }

    @Override
    public void reserveSignUp(String clientAddress) {
        Key addressKey = key("sign-up", addressBlock(clientAddress));
        synchronized (this) {
            now = clock.millis();
            long wait = SIGN_UP.waitFor(signUps.get(addressKey), now);
            if (wait > 0) throw refused("Too many sign-ups from your network", wait);
            SIGN_UP.take(signUps.getOrCreate(addressKey, Bucket::new), now);
        }
    }

    private static RateLimitedException refused(String what, long waitMillis) {
        Duration wait = Duration.ofMillis(waitMillis);
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        String in = seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
        return new RateLimitedException(what + "; try again in " + in + ".", wait.isZero() ? Duration.ofSeconds(1) : wait);
    }

    /**
     * What addresses are counted by: an IPv4 address itself, an IPv6 address's /64 (one subscriber gets a whole
     * /64, so counting single addresses would give them 2^64 tries). Anything else counts as itself.
     */
    static String addressBlock(String address) {
        if (address == null) return "";
        String literal = address.strip();
        int zone = literal.indexOf('%');
        if (zone >= 0) literal = literal.substring(0, zone);
        if (literal.indexOf(':') < 0 || !IPV6_LITERAL.matcher(literal).matches()) return address;
        try {
            // a literal with a colon is parsed, never looked up in DNS
            InetAddress parsed = InetAddress.getByName(literal);
            if (!(parsed instanceof Inet6Address)) return parsed.getHostAddress(); // IPv4-mapped
            byte[] bytes = parsed.getAddress();
            return "ipv6/64:" + java.util.HexFormat.of().formatHex(bytes, 0, 8);
        } catch (UnknownHostException e) {
            return address;
        }
    }

    static Key key(String kind, String value) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(kind.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            ByteBuffer digest = ByteBuffer.wrap(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
            return new Key(digest.getLong(), digest.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Entries held, per map (for tests: memory must stay bounded whatever clients send). */
    synchronized int trackedKeys() {
        return pairs.size() + addresses.size() + accounts.size() + knownPairs.size() + signUps.size();
    }
}
