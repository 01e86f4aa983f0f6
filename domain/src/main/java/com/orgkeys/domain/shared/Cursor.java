package com.orgkeys.domain.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a keyset page starts: just {@link Direction#AFTER after} or {@link Direction#BEFORE before} a boundary row
 * (its sort key only, nothing secret), in the one list and filters its {@code list} fingerprint names.
 * Clients see it as an opaque URL-safe string ({@link #encode()}).
 */
public record Cursor(Direction direction, Key key, String list) {
    public static final int MAX_LENGTH = 200;
    public static final String FIELD = "cursor";

    /** AFTER: the next page in the list's order (older, in a newest-first list); BEFORE: the previous one. */
    public enum Direction { AFTER, BEFORE }

    /** A row's position in its list: its time, then a unique tie-breaker (a UUID or a sequence number). */
    public record Key(Instant at, String tieBreaker) {
        private static final Pattern TIE_BREAKER = Pattern.compile("[0-9a-f-]{1,36}");
        // years 1-9999: every time a row can have, and within what PostgreSQL accepts as a parameter
        private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z"), LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

        public Key {
            Objects.requireNonNull(at, "at");
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST) || !TIE_BREAKER.matcher(tieBreaker).matches()) throw invalid();
        }

        /** The list's order of keys: by time, then tie-breaker ({@code tieOrder}), both descending or both ascending. */
        public static Comparator<Key> order(boolean descending, Comparator<String> tieOrder) {
            Comparator<Key> ascending = Comparator.comparing(Key::at).thenComparing(Key::tieBreaker, tieOrder);
            return descending ? ascending.reversed() : ascending;
        }
    }

    private static final Pattern LIST = Pattern.compile("[A-Za-z0-9_-]{11}");

    public Cursor {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(key, "key");
        if (!LIST.matcher(list).matches()) throw invalid();
    }

    /**
     * The fingerprint of a list and its filters, e.g. {@code list("api-keys", org, text, status)}: a cursor made
     * for one is refused by every other. Null parts count as absent.
     */
    public static String list(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            String value = String.valueOf(part);
            text.append(value.length()).append(':').append(value).append(';'); // unambiguous joining
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses this cursor unless it was made for {@code list} (the same list with the same filters). */
    public Cursor requireList(String list) {
        if (!this.list.equals(list)) {
            throw new InvalidInputException(FIELD, "belongs to another list or other filters; start again from the first page");
        }
        return this;
    }

    public String encode() {
        String text = (direction == Direction.AFTER ? "a" : "b") + "." + key.at().getEpochSecond() + "." + key.at().getNano()
                + "." + key.tieBreaker() + "." + list;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidInputException naming {@code cursor} when {@code text} is not a cursor this server made */
    public static Cursor decode(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) throw invalid();
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split("\\.", -1);
            if (parts.length != 5 || !parts[0].matches("[ab]") || !parts[1].matches("-?[0-9]{1,19}")
                    || !parts[2].matches("[0-9]{1,9}")) {
                throw invalid();
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
            return new Cursor(parts[0].equals("a") ? Direction.AFTER : Direction.BEFORE, new Key(at, parts[3]), parts[4]);
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw invalid();
        }
    }

    static InvalidInputException invalid() {
        return new InvalidInputException(FIELD, "is not a cursor from this list; use a nextCursor or previousCursor as given");
    }
}
