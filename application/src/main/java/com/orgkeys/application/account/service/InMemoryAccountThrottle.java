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
import java.util.HexFormat;
import java.util.List;
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
 * and the address limits (only the first and the lockout apply): an attacker elsewhere cannot lock the owner out
 * of their usual address, nor a guesser in the same office lock out everyone behind its NAT. Each account
 * remembers its {@link #KNOWN_ADDRESSES_PER_ACCOUNT} most recent addresses, in one entry: an account signing in
 * from thousands of addresses (the attacker's own) takes no more room than any other.
 *
 * <p>Sign-up: {@link #SIGN_UPS_PER_ADDRESS} per client address at once, then one more every
 * {@link #SIGN_UP_INTERVAL}; every attempt counts, as each costs a password hash and may reveal an address.
 *
 * <p>IPv6 clients are counted per /64, the block one subscriber usually gets, and, as one subscriber may hold a
 * /56 or a /48 (256 or 65,536 /64s), also per /56 ({@link #IPV6_56_FACTOR} times the /64 limit, refilling that
 * much faster) and per /48 ({@link #IPV6_48_FACTOR} times), for sign-in failures and sign-ups alike.
 *
 * <p>Memory: keys are 128 bits of SHA-256 of the normalized email and address; each map holds at most
 * {@link #MAX_KEYS} of them ({@link BoundedMap}). When the account map is full, the entries with the fewest
 * failures go first, so resetting an account's backoff by a flood of new emails takes more failures on every one
 * of ~{@value #MAX_KEYS} emails than that account has; a locked account is never pushed out, and when nothing
 * but locked accounts is left, attempts on accounts without an entry are refused (429) until some are forgotten.
 * The residual limit: such a flood still resets accounts under backoff, at that price, and the known addresses
 * of accounts that signed in least recently can be pushed out by ~{@value #MAX_KEYS} accounts that sign in
 * (each needing a sign-up); both are per process and forgotten on restart until the throttle lives in PostgreSQL.
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
    /** An IPv6 /56 may do this many times what one /64 may, a /48 {@link #IPV6_48_FACTOR} times. */
    public static final int IPV6_56_FACTOR = 4;
    public static final int IPV6_48_FACTOR = 16;
    public static final int KNOWN_ADDRESSES_PER_ACCOUNT = 5;
    /** How long to come back after when only locked accounts fill the account map. */
    static final Duration FULL_RETRY = Duration.ofMinutes(1);
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
        final Rate rate;
        long until;

        Bucket(Rate rate) {
            this.rate = rate;
        }
    }

    private record Rate(int capacity, long intervalMillis) {
        Rate(int capacity, Duration interval) {
            this(capacity, interval.toMillis());
        }

        /** {@code factor} times the capacity, refilling {@code factor} times as fast. */
        Rate times(int factor) {
            return new Rate(capacity * factor, intervalMillis / factor);
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

    /** The address blocks of one client, narrowest first, each counted against its own rate. */
    private record Blocks(List<Key> keys, List<Rate> rates) {
        long waitFor(BoundedMap<Key, Bucket> buckets, long now) {
            long wait = 0;
            for (int i = 0; i < keys.size(); i++) wait = Math.max(wait, rates.get(i).waitFor(buckets.get(keys.get(i)), now));
            return wait;
        }

        void take(BoundedMap<Key, Bucket> buckets, long now) {
            for (int i = 0; i < keys.size(); i++) {
                Rate rate = rates.get(i);
                rate.take(buckets.getOrCreate(keys.get(i), () -> new Bucket(rate)), now);
            }
        }

        void giveBack(BoundedMap<Key, Bucket> buckets) {
            for (Key key : keys) {
                Bucket bucket = buckets.get(key);
                if (bucket != null) bucket.rate.giveBack(bucket);
            }
        }
    }

    /** The addresses an account signed in from lately: the {@link #KNOWN_ADDRESSES_PER_ACCOUNT} most recent. */
    private static final class KnownAddresses {
        private final Key[] blocks = new Key[KNOWN_ADDRESSES_PER_ACCOUNT];
        private final long[] signedInAt = new long[KNOWN_ADDRESSES_PER_ACCOUNT];
        private int size;

        boolean knows(Key block, long now) {
            for (int i = 0; i < size; i++) {
                if (blocks[i].equals(block)) return now - signedInAt[i] < KNOWN_ADDRESS_MEMORY.toMillis();
            }
            return false;
        }

        /** Remembers {@code block}, in place of the least recent one when full. */
        void signedIn(Key block, long now) {
            int slot = size < blocks.length ? size : 0;
            for (int i = 0; i < size; i++) {
                if (blocks[i].equals(block)) {
                    slot = i;
                    break;
                }
                if (size == blocks.length && signedInAt[i] < signedInAt[slot]) slot = i;
            }
            if (slot == size) size++;
            blocks[slot] = block;
            signedInAt[slot] = now;
        }

        int live(long now) {
            int live = 0;
            for (int i = 0; i < size; i++) if (now - signedInAt[i] < KNOWN_ADDRESS_MEMORY.toMillis()) live++;
            return live;
        }
    }

    private static final Rate PAIR = new Rate(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, ACCOUNT_AND_ADDRESS_INTERVAL);
    private static final Rate ADDRESS = new Rate(FAILURES_PER_ADDRESS, ADDRESS_INTERVAL);
    private static final Rate SIGN_UP = new Rate(SIGN_UPS_PER_ADDRESS, SIGN_UP_INTERVAL);
    private static final List<Rate> ADDRESS_RATES = List.of(ADDRESS, ADDRESS.times(IPV6_56_FACTOR), ADDRESS.times(IPV6_48_FACTOR));
    private static final List<Rate> SIGN_UP_RATES = List.of(SIGN_UP, SIGN_UP.times(IPV6_56_FACTOR), SIGN_UP.times(IPV6_48_FACTOR));

    private final Clock clock;
    /** The time of the operation under way, for the maps' predicates (read and written under the lock). */
    private long now;
    private final BoundedMap<Key, Bucket> pairs;
    /** Per address block: an IPv4 address, an IPv6 /64, /56 and /48 (each bucket knows its rate). */
    private final BoundedMap<Key, Bucket> addresses;
    /** Per account; the fewest failures go first, a locked account never (new accounts are refused instead). */
    private final BoundedMap<Key, AccountFailures> accounts;
    /**
     * Per account, where it signed in lately. Only a correct password adds to it, and one account holds one entry
     * however many addresses it uses; accounts with many addresses go first, then the least recently used.
     */
    private final BoundedMap<Key, KnownAddresses> knownAddresses;
    private final BoundedMap<Key, Bucket> signUps;

    public InMemoryAccountThrottle(Clock clock) {
        this(clock, MAX_KEYS);
    }

    /** With maps of {@code maxKeys} entries each (tests use small ones to show what happens when they fill). */
    InMemoryAccountThrottle(Clock clock, int maxKeys) {
        this.clock = clock;
        pairs = new BoundedMap<>(maxKeys, b -> b.rate.isFull(b, now), b -> b.rate.isMostlyUsed(b, now));
        addresses = new BoundedMap<>(maxKeys, b -> b.rate.isFull(b, now), b -> b.rate.isMostlyUsed(b, now));
        accounts = new BoundedMap<>(maxKeys,
                a -> a.pending == 0 && (a.failures == 0 || isForgotten(a)),
                a -> a.failures + a.pending,
                a -> a.failures >= ACCOUNT_LOCKOUT_AFTER);
        knownAddresses = new BoundedMap<>(maxKeys, k -> k.live(now) == 0,
                k -> KNOWN_ADDRESSES_PER_ACCOUNT - k.live(now), k -> false);
        signUps = new BoundedMap<>(maxKeys, b -> b.rate.isFull(b, now), b -> b.rate.isMostlyUsed(b, now));
    }

    @Override
    public SignInAttempt reserveSignIn(Email account, String clientAddress) {
        List<String> blocks = addressBlocks(clientAddress);
        Key accountKey = key("account", account.value());
        Blocks address = blocks("address", blocks, ADDRESS_RATES);
        Key addressKey = address.keys().getFirst();
        Key pairKey = key("pair", account.value() + "\n" + blocks.getFirst());
        synchronized (this) {
            now = clock.millis();
            KnownAddresses knownHere = knownAddresses.get(accountKey);
            boolean known = knownHere != null && knownHere.knows(addressKey, now);
            AccountFailures failures = accounts.get(accountKey);
            if (failures != null && failures.pending == 0 && isForgotten(failures)) {
                accounts.remove(accountKey);
                failures = null;
            }
            long wait = PAIR.waitFor(pairs.get(pairKey), now);
            if (failures != null) wait = Math.max(wait, accountWait(failures, known));
            if (!known) wait = Math.max(wait, address.waitFor(addresses, now));
            if (wait > 0) throw refused("Too many failed sign-in attempts", wait);

            if (!known) {
                AccountFailures reserved = accounts.getOrCreateIfRoom(accountKey, AccountFailures::new);
                // only locked accounts left: rather than forget one, refuse accounts that have no entry yet
                if (reserved == null) throw refused("Too many failed sign-in attempts on this server", FULL_RETRY.toMillis());
                reserved.pending++;
                reserved.notBefore = Math.max(reserved.notBefore, now + delayAfter(reserved.failures + reserved.pending));
                address.take(addresses, now);
            }
            PAIR.take(pairs.getOrCreate(pairKey, () -> new Bucket(PAIR)), now);
            return new Attempt(accountKey, address, pairKey, known);
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
        private final Blocks address;
        private final Key pair;
        private final boolean known;
        private boolean concluded;

        Attempt(Key account, Blocks address, Key pair, boolean known) {
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
                if (!known) address.giveBack(addresses);
                accounts.remove(account); // consecutive failures end here; attempts under way count on their own
                knownAddresses.getOrCreate(account, KnownAddresses::new).signedIn(address.keys().getFirst(), now);
            }
        }

        @Override
        public void failed() {
            synchronized (InMemoryAccountThrottle.this) {
                if (!conclude()) return;
                AccountFailures failures = accounts.getOrCreateIfRoom(account, AccountFailures::new);
                // No room (only locked accounts left) for an attempt from a known address, or one whose entry was
                // pushed out meanwhile: it goes uncounted, still bounded by the pair's limit.
                if (failures == null) return;
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
                Bucket pairBucket = pairs.get(pair);
                if (pairBucket != null) PAIR.giveBack(pairBucket);
                if (!known) {
                    address.giveBack(addresses);
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

    @Override
    public void reserveSignUp(String clientAddress) {
        Blocks address = blocks("sign-up", addressBlocks(clientAddress), SIGN_UP_RATES);
        synchronized (this) {
            now = clock.millis();
            long wait = address.waitFor(signUps, now);
            if (wait > 0) throw refused("Too many sign-ups from your network", wait);
            address.take(signUps, now);
        }
    }

    private static RateLimitedException refused(String what, long waitMillis) {
        Duration wait = Duration.ofMillis(waitMillis);
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        String in = seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
        return new RateLimitedException(what + "; try again in " + in + ".", wait.isZero() ? Duration.ofSeconds(1) : wait);
    }

    /**
     * What addresses are counted by, narrowest first: an IPv4 address itself; an IPv6 address's /64 (one
     * subscriber gets a whole /64, so counting single addresses would give them 2^64 tries), /56 and /48 (what
     * one subscriber may hold: 256 or 65,536 /64s). Anything else counts as itself.
     */
    static List<String> addressBlocks(String address) {
        if (address == null) return List.of("");
        String literal = address.strip();
        int zone = literal.indexOf('%');
        if (zone >= 0) literal = literal.substring(0, zone);
        if (literal.indexOf(':') < 0 || !IPV6_LITERAL.matcher(literal).matches()) return List.of(address);
        try {
            // a literal with a colon is parsed, never looked up in DNS
            InetAddress parsed = InetAddress.getByName(literal);
            if (!(parsed instanceof Inet6Address)) return List.of(parsed.getHostAddress()); // IPv4-mapped
            HexFormat hex = HexFormat.of();
            byte[] bytes = parsed.getAddress();
            return List.of("ipv6/64:" + hex.formatHex(bytes, 0, 8), "ipv6/56:" + hex.formatHex(bytes, 0, 7),
                    "ipv6/48:" + hex.formatHex(bytes, 0, 6));
        } catch (UnknownHostException e) {
            return List.of(address);
        }
    }

    private static Blocks blocks(String kind, List<String> blocks, List<Rate> rates) {
        return new Blocks(blocks.stream().map(block -> key(kind, block)).toList(), rates.subList(0, blocks.size()));
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
        return pairs.size() + addresses.size() + accounts.size() + knownAddresses.size() + signUps.size();
    }
}
