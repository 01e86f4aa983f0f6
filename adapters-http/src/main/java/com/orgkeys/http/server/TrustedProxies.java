package com.orgkeys.http.server;

import com.orgkeys.domain.apikey.IpRange;
import com.orgkeys.domain.shared.InvalidInputException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose forwarding header is believed, and the client address that follows from it.
 *
 * <p>A request's client is its direct peer, unless that peer is a trusted proxy: then the forwarding header is
 * read from the right (the hop the trusted proxy itself appended) leftwards, skipping further trusted proxies,
 * and the first untrusted hop is the client. Everything left of it was written by the client and is ignored.
 * A hop that is not an address ({@code unknown}, an obfuscated {@code _name}, garbage) ends the walk: the
 * trusted proxy that reported it is the client as far as anyone can tell. Only one header is read, the one the
 * operator's proxies set: a proxy that maintains {@code X-Forwarded-For} passes a client's own {@code Forwarded}
 * through untouched, so reading both would let a client choose its address.
 */
public final class TrustedProxies {
    /** The forwarding header the proxies maintain. */
    public enum Header {
        X_FORWARDED_FOR("X-Forwarded-For"), FORWARDED("Forwarded");

        private final String fieldName;

        Header(String fieldName) {
            this.fieldName = fieldName;
        }

        public String fieldName() {
            return fieldName;
        }
    }

    /** Hops looked at, from the right; a longer chain of trusted proxies than this is not believed further. */
    static final int MAX_HOPS = 30;
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** The domain's address ranges, as a key's IP allowlist holds them: one parser and matcher for both. */
    private final List<IpRange> ranges;
    private final Header header;

    private TrustedProxies(List<IpRange> ranges, Header header) {
        this.ranges = List.copyOf(ranges);
        this.header = header;
    }

    /** No proxy is trusted: the client is always the direct peer. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of(), Header.X_FORWARDED_FOR);
    }

    /**
     * Parses a comma-separated list of addresses and CIDR ranges (IPv4 and IPv6), e.g. {@code 10.0.0.0/8, ::1}.
     *
     * @throws IllegalArgumentException naming the first entry that is not one, in a sentence fit for an operator
     */
    public static TrustedProxies parse(String list, Header header) {
        List<IpRange> ranges = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) continue;
            try {
                ranges.add(IpRange.parse("TRUSTED_PROXIES", trimmed));
            } catch (InvalidInputException e) {
                throw new IllegalArgumentException(e.errors().getFirst().message()); // the sentence, for the operator
            }
        }
        return new TrustedProxies(ranges, header);
    }

    public Header header() {
        return header;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (IpRange range : ranges) {
            if (range.contains(bytes)) return true;
        }
        return false;
    }

    /**
     * The client of a request from {@code peer} carrying {@code headerValues} (every line of {@link #header()},
     * in order; null or empty when absent).
     */
    public InetAddress clientAddress(InetAddress peer, List<String> headerValues) {
        if (ranges.isEmpty() || !trusts(peer) || headerValues == null || headerValues.isEmpty()) return peer;
        List<String> hops = header == Header.FORWARDED ? forwardedFor(headerValues) : forwardedList(headerValues);
        InetAddress client = peer;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            InetAddress hop = node(hops.get(i));
            if (hop == null) return client; // unknown or malformed: as far as the trusted chain can see
            client = hop;
            if (!trusts(hop)) return hop;
        }
        return client;
    }

    // ---- header parsing -----------------------------------------------------------------------------------

    /** X-Forwarded-For: comma-separated nodes; several header lines are one list. */
    private static List<String> forwardedList(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",", -1)) hops.add(hop.strip());
        }
        return hops;
    }

    /**
     * RFC 7239: elements separated by commas, pairs within by semicolons, values a token or a quoted string
     * (which may hold commas and semicolons). Each element's {@code for} value, or "" when it has none or two.
     */
    static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            List<String> pairs = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (quoted && c == '\\' && i + 1 < value.length()) {
                    current.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && (c == ';' || c == ',')) {
                    pairs.add(current.toString());
                    current.setLength(0);
                    if (c == ',') {
                        hops.add(forOf(pairs));
                        pairs.clear();
                    }
                } else {
                    current.append(c);
                }
            }
            pairs.add(current.toString());
            hops.add(quoted ? "" : forOf(pairs));
        }
        return hops;
    }

    private static String forOf(List<String> pairs) {
        String found = null;
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            if (pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                if (found != null) return ""; // two for= in one element: not to be believed
                found = pair.substring(eq + 1).strip();
            }
        }
        return found == null ? "" : found;
    }

    /**
     * One node: {@code 192.0.2.1}, {@code 192.0.2.1:443}, {@code [2001:db8::1]}, {@code [2001:db8::1]:443} or a
     * bare {@code 2001:db8::1}; null for anything else ({@code unknown}, {@code _hidden}, garbage).
     */
    static InetAddress node(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) return null;
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !isPort(rest)) return null;
            return ipv6(text.substring(1, close));
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) { // one colon: IPv4 with a port
            return isPort(text.substring(colon)) ? ipv4(text.substring(0, colon)) : null;
        }
        return colon >= 0 ? ipv6(text) : ipv4(text);
    }

    private static boolean isPort(String colonAndPort) {
        return colonAndPort.length() >= 2 && colonAndPort.length() <= 6 && colonAndPort.charAt(0) == ':'
                && colonAndPort.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A dotted-quad IPv4 literal (no leading zeros: those read as octal in some parsers), else null. */
    static InetAddress ipv4(String text) {
        if (!IPV4.matcher(text).matches()) return null;
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) return null;
            bytes[i] = (byte) octet;
        }
        return byAddress(bytes);
    }

    /**
     * An IPv6 literal, else null. InetAddress parses text with a colon as a literal or fails; it never asks
     * DNS for it. No zone ids: a forwarded client has none.
     */
    static InetAddress ipv6(String text) {
        if (!IPV6_CHARACTERS.matcher(text).matches() || text.indexOf(':') < 0) return null;
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which cannot happen here
        }
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "none" : ranges + " via " + header.fieldName();
    }
}
