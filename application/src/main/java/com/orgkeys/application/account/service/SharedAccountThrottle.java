package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.application.account.port.out.AccountThrottleStore.Entry;
import com.orgkeys.application.account.port.out.AccountThrottleStore.Key;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The sign-in and sign-up limits, kept in an {@link AccountThrottleStore} that every process shares (PostgreSQL in
 * production), so that N processes allow what one does. Every decision reads and changes its entries in one
 * {@link AccountThrottleStore#update update}, which locks them, so a reservation is atomic across processes.
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
 * remembers its {@link #KNOWN_ADDRESSES_PER_ACCOUNT} most recent addresses, in one entry.
 *
 * <p>Sign-up: {@link #SIGN_UPS_PER_ADDRESS} per client address at once, then one more every
 * {@link #SIGN_UP_INTERVAL}; every attempt counts, as each costs a password hash and may reveal an address.
 *
 * <p>Passkey ceremonies started without a session (each stores a challenge): {@link #CEREMONIES_PER_ADDRESS} per
 * client address at once, then one more every {@link #CEREMONY_INTERVAL}, so one address cannot fill the table.
 *
 * <p>Password reset requests: {@link #RESETS_PER_EMAIL} per email at once, then one more every
 * {@link #RESET_EMAIL_INTERVAL} (nobody's mailbox is flooded), and {@link #RESETS_PER_ADDRESS} per client address,
 * then one more every {@link #RESET_ADDRESS_INTERVAL}; every request counts, whether the email has an account or not.
 *
 * <p>Sign-in mail requests (a link and a code): the same limits as password reset requests, counted apart. From a
 * known address (below) of the account neither kind is limited per email, only per address, so that strangers who
 * spend an email's requests cannot keep its owner from recovering.
 *
 * <p>Verification mails sent again: {@link #VERIFICATION_MAILS_PER_EMAIL} per email at once, then one more every
 * {@link #VERIFICATION_MAIL_INTERVAL}; each brings a new code with {@code 5} guesses, so this also bounds how fast
 * someone who cannot read the mail may guess. Email change mails: the same, per user and per new address.
 *
 * <p>API key leak reports: {@link #LEAK_REPORTS_PER_ADDRESS} per client address at once, then one more every
 * {@link #LEAK_REPORT_INTERVAL}, and {@link #LEAK_REPORTS_OVERALL} from all addresses together at once, then one
 * more every {@link #LEAK_REPORT_OVERALL_INTERVAL}: a scanner that finds a batch of keys in one push reports them
 * at once, while a flood from many addresses stays a trickle of lookups and mails.
 *
 * <p>Webhooks sent on request (test events and replays): {@link #WEBHOOK_SENDS_PER_ENDPOINT} per endpoint at once,
 * then one more every {@link #WEBHOOK_SEND_INTERVAL}, whoever asks: the receiver is what is protected.
 *
 * <p>IPv6 clients are counted per /64, the block one subscriber usually gets, and, as one subscriber may hold a
 * /56 or a /48 (256 or 65,536 /64s), also per /56 ({@link #IPV6_56_FACTOR} times the /64 limit, refilling that
 * much faster) and per /48 ({@link #IPV6_48_FACTOR} times), for sign-in failures and sign-ups alike.
 *
 * <p>Storage: keys are 128 bits of SHA-256 of the normalized email and address (never the email or address). Each
 * entry expires when it no longer matters: a bucket when it is full again, an account's failures
 * {@link #ACCOUNT_MEMORY} after the last one, its known addresses {@link #KNOWN_ADDRESS_MEMORY} after the last
 * sign-in, and attempts under way {@link #PENDING_MEMORY} after they began (so that a process that dies during one
 * leaves nothing behind for long); the store deletes what has expired. Nothing is pushed out to make room, so a
 * flood of other accounts or addresses resets no one's backoff and forgets no one's known addresses.
 */
public final class SharedAccountThrottle implements AccountThrottle {
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
    public static final int CEREMONIES_PER_ADDRESS = 30;
    public static final Duration CEREMONY_INTERVAL = Duration.ofSeconds(6);
    public static final int RESETS_PER_EMAIL = 3;
    public static final Duration RESET_EMAIL_INTERVAL = Duration.ofMinutes(10);
    public static final int RESETS_PER_ADDRESS = 10;
    public static final Duration RESET_ADDRESS_INTERVAL = Duration.ofMinutes(3);
    public static final int VERIFICATION_MAILS_PER_EMAIL = 3;
    public static final Duration VERIFICATION_MAIL_INTERVAL = Duration.ofHours(1);
    public static final int LEAK_REPORTS_PER_ADDRESS = 30;
    public static final Duration LEAK_REPORT_INTERVAL = Duration.ofSeconds(2);
    public static final int LEAK_REPORTS_OVERALL = 600;
    public static final Duration LEAK_REPORT_OVERALL_INTERVAL = Duration.ofMillis(100);
    public static final int WEBHOOK_SENDS_PER_ENDPOINT = 20;
    public static final Duration WEBHOOK_SEND_INTERVAL = Duration.ofSeconds(3);
    /** An IPv6 /56 may do this many times what one /64 may, a /48 {@link #IPV6_48_FACTOR} times. */
    public static final int IPV6_56_FACTOR = 4;
    public static final int IPV6_48_FACTOR = 16;
    public static final int KNOWN_ADDRESSES_PER_ACCOUNT = 5;
    /** How long an attempt under way counts towards its account's delays when no outcome is reported. */
    public static final Duration PENDING_MEMORY = Duration.ofMinutes(5);

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /**
     * A token bucket kept as one number (the generic cell rate algorithm): {@code until}, the time when it will be
     * full again. Taking a token moves it one interval later; a bucket that would be more than {@code capacity}
     * intervals away from full is empty. A full bucket is no entry at all.
     */
    private record Rate(int capacity, long intervalMillis) {
        Rate(int capacity, Duration interval) {
            this(capacity, interval.toMillis());
        }

        /** {@code factor} times the capacity, refilling {@code factor} times as fast. */
        Rate times(int factor) {
            return new Rate(capacity * factor, intervalMillis / factor);
        }

        /** Milliseconds until a token is available; 0 when one is. */
        long waitFor(long until, long now) {
            long after = Math.max(until, now) + intervalMillis;
            return Math.max(0, after - now - capacity * intervalMillis);
        }

        long take(long until, long now) {
            return Math.max(until, now) + intervalMillis;
        }

        long giveBack(long until) {
            return until - intervalMillis;
        }
    }

    /** Consecutive failures of one account, and attempts under way that may add to them. */
    private static final class Failures {
        int failures;
        int pending;
        long pendingUntil;
        long lastFailure;
        long notBefore;

        /** The entry as it counts at {@code now}: failures are forgotten, attempts under way stop counting. */
        static Failures of(Entry entry, long now) {
            Failures account = new Failures();
            if (entry == null) return account;
            long[] values = entry.values();
            account.failures = (int) values[0];
            account.pending = (int) values[1];
            account.pendingUntil = values[2];
            account.lastFailure = values[3];
            account.notBefore = values[4];
            if (now - account.lastFailure >= ACCOUNT_MEMORY.toMillis()) account.failures = 0;
            if (account.pendingUntil <= now) account.pending = 0;
            return account;
        }

        boolean isEmpty() {
            return failures == 0 && pending == 0;
        }

        Entry entry() {
            long expires = Math.max(pending > 0 ? pendingUntil : 0,
                    failures > 0 ? lastFailure + ACCOUNT_MEMORY.toMillis() : 0);
            return new Entry(new long[]{failures, pending, pendingUntil, lastFailure, notBefore}, Instant.ofEpochMilli(expires));
        }
    }

    /** The addresses an account signed in from lately: the {@link #KNOWN_ADDRESSES_PER_ACCOUNT} most recent. */
    private static final class KnownAddresses {
        private final List<Key> blocks = new ArrayList<>();
        private final List<Long> signedInAt = new ArrayList<>();

        static KnownAddresses of(Entry entry) {
            KnownAddresses known = new KnownAddresses();
            if (entry == null) return known;
            long[] values = entry.values();
            for (int i = 0; i + 2 < values.length; i += 3) {
                known.blocks.add(new Key(values[i], values[i + 1]));
                known.signedInAt.add(values[i + 2]);
            }
            return known;
        }

        boolean knows(Key block, long now) {
            int i = blocks.indexOf(block);
            return i >= 0 && now - signedInAt.get(i) < KNOWN_ADDRESS_MEMORY.toMillis();
        }

        /** Remembers {@code block}, in place of the least recent one when full. */
        void signedIn(Key block, long now) {
            int slot = blocks.indexOf(block);
            if (slot < 0 && blocks.size() < KNOWN_ADDRESSES_PER_ACCOUNT) {
                blocks.add(block);
                signedInAt.add(now);
                return;
            }
            if (slot < 0) {
                slot = 0;
                for (int i = 1; i < blocks.size(); i++) if (signedInAt.get(i) < signedInAt.get(slot)) slot = i;
            }
            blocks.set(slot, block);
            signedInAt.set(slot, now);
        }

        Entry entry() {
            long[] values = new long[3 * blocks.size()];
            long last = 0;
            for (int i = 0; i < blocks.size(); i++) {
                values[3 * i] = blocks.get(i).high();
                values[3 * i + 1] = blocks.get(i).low();
                values[3 * i + 2] = signedInAt.get(i);
                last = Math.max(last, signedInAt.get(i));
            }
            return new Entry(values, Instant.ofEpochMilli(last + KNOWN_ADDRESS_MEMORY.toMillis()));
        }
    }

    /** The entries of one update, read and written as what they stand for, at one instant. */
    private record Entries(Map<Key, Entry> map, long now) {
        long bucket(Key key) {
            Entry entry = map.get(key);
            return entry == null ? 0 : entry.values()[0];
        }

        void bucket(Key key, long until) {
            if (until <= now) map.remove(key);
            else map.put(key, new Entry(new long[]{until}, Instant.ofEpochMilli(until)));
        }

        Failures failures(Key key) {
            return Failures.of(map.get(key), now);
        }

        void failures(Key key, Failures account) {
            if (account.isEmpty()) map.remove(key);
            else map.put(key, account.entry());
        }

        KnownAddresses knownAddresses(Key key) {
            return KnownAddresses.of(map.get(key));
        }

        void knownAddresses(Key key, KnownAddresses known) {
            map.put(key, known.entry());
        }
    }

    /** The address blocks of one client, narrowest first, each counted against its own rate. */
    private record Blocks(List<Key> keys, List<Rate> rates) {
        long waitFor(Entries entries) {
            long wait = 0;
            for (int i = 0; i < keys.size(); i++) wait = Math.max(wait, rates.get(i).waitFor(entries.bucket(keys.get(i)), entries.now()));
            return wait;
        }

        void take(Entries entries) {
            for (int i = 0; i < keys.size(); i++) {
                entries.bucket(keys.get(i), rates.get(i).take(entries.bucket(keys.get(i)), entries.now()));
            }
        }

        void giveBack(Entries entries) {
            for (int i = 0; i < keys.size(); i++) {
                if (entries.map().containsKey(keys.get(i))) {
                    entries.bucket(keys.get(i), rates.get(i).giveBack(entries.bucket(keys.get(i))));
                }
            }
        }
    }

    private static final Rate PAIR = new Rate(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, ACCOUNT_AND_ADDRESS_INTERVAL);
    private static final Rate ADDRESS = new Rate(FAILURES_PER_ADDRESS, ADDRESS_INTERVAL);
    private static final Rate SIGN_UP = new Rate(SIGN_UPS_PER_ADDRESS, SIGN_UP_INTERVAL);
    private static final List<Rate> ADDRESS_RATES = List.of(ADDRESS, ADDRESS.times(IPV6_56_FACTOR), ADDRESS.times(IPV6_48_FACTOR));
    private static final Rate CEREMONY = new Rate(CEREMONIES_PER_ADDRESS, CEREMONY_INTERVAL);
    private static final List<Rate> CEREMONY_RATES =
            List.of(CEREMONY, CEREMONY.times(IPV6_56_FACTOR), CEREMONY.times(IPV6_48_FACTOR));
    private static final Rate RESET_EMAIL = new Rate(RESETS_PER_EMAIL, RESET_EMAIL_INTERVAL);
    private static final Rate RESET_ADDRESS = new Rate(RESETS_PER_ADDRESS, RESET_ADDRESS_INTERVAL);
    private static final List<Rate> RESET_ADDRESS_RATES =
            List.of(RESET_ADDRESS, RESET_ADDRESS.times(IPV6_56_FACTOR), RESET_ADDRESS.times(IPV6_48_FACTOR));
    private static final Rate VERIFICATION_MAIL = new Rate(VERIFICATION_MAILS_PER_EMAIL, VERIFICATION_MAIL_INTERVAL);
    private static final List<Rate> SIGN_UP_RATES = List.of(SIGN_UP, SIGN_UP.times(IPV6_56_FACTOR), SIGN_UP.times(IPV6_48_FACTOR));

    private static final Rate LEAK_REPORT = new Rate(LEAK_REPORTS_PER_ADDRESS, LEAK_REPORT_INTERVAL);
    private static final List<Rate> LEAK_REPORT_RATES =
            List.of(LEAK_REPORT, LEAK_REPORT.times(IPV6_56_FACTOR), LEAK_REPORT.times(IPV6_48_FACTOR));
    private static final Rate LEAK_REPORT_OVERALL = new Rate(LEAK_REPORTS_OVERALL, LEAK_REPORT_OVERALL_INTERVAL);
    private static final Rate WEBHOOK_SEND = new Rate(WEBHOOK_SENDS_PER_ENDPOINT, WEBHOOK_SEND_INTERVAL);
    private static final Key LEAK_REPORTS_EVERYWHERE = key("leak-report-overall", "");

    private final AccountThrottleStore store;
    private final Clock clock;

    public SharedAccountThrottle(AccountThrottleStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public SignInAttempt reserveSignIn(Email account, String clientAddress) {
        List<String> blocks = addressBlocks(clientAddress);
        Key accountKey = key("account", account.value());
        Key knownKey = key("known-addresses", account.value());
        Blocks address = blocks("address", blocks, ADDRESS_RATES);
        Key addressKey = address.keys().getFirst();
        Key pairKey = key("pair", account.value() + "\n" + blocks.getFirst());
        List<Key> keys = new ArrayList<>(List.of(pairKey, accountKey, knownKey));
        keys.addAll(address.keys());
        Instant now = clock.instant();
        boolean known = store.update(keys, now, map -> {
            Entries entries = new Entries(map, now.toEpochMilli());
            boolean knownHere = entries.knownAddresses(knownKey).knows(addressKey, entries.now());
            Failures failures = entries.failures(accountKey);
            long wait = PAIR.waitFor(entries.bucket(pairKey), entries.now());
            wait = Math.max(wait, accountWait(failures, knownHere, entries.now()));
            if (!knownHere) wait = Math.max(wait, address.waitFor(entries));
            if (wait > 0) throw refused("Too many failed sign-in attempts", wait);

            if (!knownHere) {
                failures.pending++;
                failures.pendingUntil = entries.now() + PENDING_MEMORY.toMillis();
                failures.notBefore = Math.max(failures.notBefore, entries.now() + delayAfter(failures.failures + failures.pending));
                entries.failures(accountKey, failures);
                address.take(entries);
            }
            entries.bucket(pairKey, PAIR.take(entries.bucket(pairKey), entries.now()));
            return knownHere;
        });
        return new Attempt(accountKey, knownKey, address, pairKey, known);
    }

    /** How long an attempt on this account must wait, in milliseconds. */
    private static long accountWait(Failures account, boolean knownAddress, long now) {
        if (account.isEmpty()) return 0;
        if (account.failures + account.pending >= ACCOUNT_LOCKOUT_AFTER) {
            return Math.max(1_000, account.lastFailure + ACCOUNT_MEMORY.toMillis() - now);
        }
        return knownAddress ? 0 : Math.max(0, account.notBefore - now);
    }

    /** The wait before the next attempt once {@code failures} attempts have failed (or may yet). */
    static long delayAfter(int failures) {
        if (failures < ACCOUNT_FAILURES_BEFORE_DELAY) return 0;
        int doublings = Math.min(failures - ACCOUNT_FAILURES_BEFORE_DELAY, 30);
        return Math.min(FIRST_DELAY.toMillis() << doublings, MAX_DELAY.toMillis());
    }

    @Override
    public void forgetSignInFailures(Email account) {
        Key accountKey = key("account", account.value());
        store.update(List.of(accountKey), clock.instant(), map -> map.remove(accountKey));
    }

    private final class Attempt implements SignInAttempt {
        private final Key account;
        private final Key knownAddresses;
        private final Blocks address;
        private final Key pair;
        private final boolean known;
        private final AtomicBoolean concluded = new AtomicBoolean();

        Attempt(Key account, Key knownAddresses, Blocks address, Key pair, boolean known) {
            this.account = account;
            this.knownAddresses = knownAddresses;
            this.address = address;
            this.pair = pair;
            this.known = known;
        }

        @Override
        public void succeeded() {
            if (!concluded.compareAndSet(false, true)) return;
            List<Key> keys = new ArrayList<>(List.of(pair, account, knownAddresses));
            if (!known) keys.addAll(address.keys());
            update(keys, entries -> {
                entries.map().remove(pair);
                if (!known) address.giveBack(entries);
                entries.map().remove(account); // consecutive failures end here; attempts under way count on their own
                KnownAddresses addresses = entries.knownAddresses(knownAddresses);
                addresses.signedIn(address.keys().getFirst(), entries.now());
                entries.knownAddresses(knownAddresses, addresses);
            });
        }

        @Override
        public void failed() {
            if (!concluded.compareAndSet(false, true)) return;
            update(List.of(account), entries -> {
                Failures failures = entries.failures(account);
                if (!known && failures.pending > 0) failures.pending--;
                failures.failures++;
                failures.lastFailure = entries.now();
                failures.notBefore = Math.max(failures.notBefore, entries.now() + delayAfter(failures.failures));
                entries.failures(account, failures);
            });
        }

        @Override
        public void close() {
            if (!concluded.compareAndSet(false, true)) return;
            List<Key> keys = new ArrayList<>(List.of(pair));
            if (!known) {
                keys.add(account);
                keys.addAll(address.keys());
            }
            update(keys, entries -> {
                if (entries.map().containsKey(pair)) entries.bucket(pair, PAIR.giveBack(entries.bucket(pair)));
                if (!known) {
                    address.giveBack(entries);
                    Failures failures = entries.failures(account);
                    if (failures.pending > 0) {
                        failures.pending--;
                        entries.failures(account, failures);
                    }
                }
            });
        }

        private void update(List<Key> keys, java.util.function.Consumer<Entries> change) {
            Instant now = clock.instant();
            store.update(keys, now, map -> {
                change.accept(new Entries(map, now.toEpochMilli()));
                return null;
            });
        }
    }

    @Override
    public void reserveSignUp(String clientAddress) {
        reserveForAddress("sign-up", clientAddress, SIGN_UP_RATES, "Too many sign-ups from your network");
    }

    @Override
    public void reservePasskeyCeremony(String clientAddress) {
        reserveForAddress("passkey-ceremony", clientAddress, CEREMONY_RATES,
                "Too many passkey sign-ins started from your network");
    }

    /** Takes one from the buckets of {@code kind} of the address (and its wider IPv6 blocks), or refuses. */
    private void reserveForAddress(String kind, String clientAddress, List<Rate> rates, String refusal) {
        Blocks address = blocks(kind, addressBlocks(clientAddress), rates);
        Instant now = clock.instant();
        store.update(address.keys(), now, map -> {
            Entries entries = new Entries(map, now.toEpochMilli());
            long wait = address.waitFor(entries);
            if (wait > 0) throw refused(refusal, wait);
            address.take(entries);
            return null;
        });
    }

    @Override
    public void reserveLeakReport(String clientAddress) {
        Blocks address = blocks("leak-report", addressBlocks(clientAddress), LEAK_REPORT_RATES);
        List<Key> keys = new ArrayList<>(address.keys());
        keys.add(LEAK_REPORTS_EVERYWHERE);
        Instant now = clock.instant();
        store.update(keys, now, map -> {
            Entries entries = new Entries(map, now.toEpochMilli());
            long wait = address.waitFor(entries);
            if (wait > 0) throw refused("Too many leak reports from your network", wait);
            long overall = LEAK_REPORT_OVERALL.waitFor(entries.bucket(LEAK_REPORTS_EVERYWHERE), entries.now());
            if (overall > 0) throw refused("Too many leak reports", overall);
            address.take(entries);
            entries.bucket(LEAK_REPORTS_EVERYWHERE, LEAK_REPORT_OVERALL.take(entries.bucket(LEAK_REPORTS_EVERYWHERE), entries.now()));
            return null;
        });
    }

    @Override
    public void reservePasswordReset(Email email, String clientAddress) {
        reserveMailRequest("reset", email, clientAddress, "Too many password reset requests");
    }

    @Override
    public void reserveSignInMail(Email email, String clientAddress) {
        reserveMailRequest("sign-in-mail", email, clientAddress, "Too many sign-in mail requests");
    }

    /** A mail asked for by someone who need not be signed in: limited per email and per address, in keys of {@code kind}. */
    private void reserveMailRequest(String kind, Email email, String clientAddress, String refusal) {
        List<String> blocks = addressBlocks(clientAddress);
        Key emailKey = key(kind + "-email", email.value());
        Key knownKey = key("known-addresses", email.value());
        Key signInAddressKey = key("address", blocks.getFirst());
        Blocks address = blocks(kind + "-address", blocks, RESET_ADDRESS_RATES);
        List<Key> keys = new ArrayList<>(List.of(emailKey, knownKey));
        keys.addAll(address.keys());
        Instant now = clock.instant();
        store.update(keys, now, map -> {
            Entries entries = new Entries(map, now.toEpochMilli());
            // from an address the account signed in from, the per-email limit does not apply: strangers who spend
            // it cannot keep the owner from recovering (the per-address limit still does)
            boolean owners = entries.knownAddresses(knownKey).knows(signInAddressKey, entries.now());
            long wait = Math.max(owners ? 0 : RESET_EMAIL.waitFor(entries.bucket(emailKey), entries.now()),
                    address.waitFor(entries));
            if (wait > 0) throw refused(refusal, wait);
            if (!owners) entries.bucket(emailKey, RESET_EMAIL.take(entries.bucket(emailKey), entries.now()));
            address.take(entries);
            return null;
        });
    }

    @Override
    public void reserveVerificationMail(Email email) {
        reserve(key("verification-mail", email.value()), VERIFICATION_MAIL, "Too many verification mails");
    }

    @Override
    public void reserveEmailChangeMail(UserId user, Email newEmail) {
        // per user (one account cannot mail without end) and per address (many accounts cannot flood one mailbox)
        Key userKey = key("email-change-user", user.toString());
        Key emailKey = key("email-change-email", newEmail.value());
        Instant now = clock.instant();
        store.update(List.of(userKey, emailKey), now, map -> {
            Entries entries = new Entries(map, now.toEpochMilli());
            long wait = Math.max(VERIFICATION_MAIL.waitFor(entries.bucket(userKey), entries.now()),
                    VERIFICATION_MAIL.waitFor(entries.bucket(emailKey), entries.now()));
            if (wait > 0) throw refused("Too many email change mails", wait);
            entries.bucket(userKey, VERIFICATION_MAIL.take(entries.bucket(userKey), entries.now()));
            entries.bucket(emailKey, VERIFICATION_MAIL.take(entries.bucket(emailKey), entries.now()));
            return null;
        });
    }

    @Override
    public void reserveWebhookSend(WebhookEndpointId endpoint) {
        reserve(key("webhook-send", endpoint.toString()), WEBHOOK_SEND,
                "Too many test events and replays for this webhook endpoint");
    }

    /** Takes one from {@code key}'s budget at {@code rate}, or refuses ({@code what}, and when to try again). */
    private void reserve(Key key, Rate rate, String what) {
        Instant now = clock.instant();
        store.update(List.of(key), now, map -> {
            Entries entries = new Entries(map, now.toEpochMilli());
            long wait = rate.waitFor(entries.bucket(key), entries.now());
            if (wait > 0) throw refused(what, wait);
            entries.bucket(key, rate.take(entries.bucket(key), entries.now()));
            return null;
        });
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
}
