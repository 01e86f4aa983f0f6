package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.InvalidInputException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An address range of an allowlist: an IPv4 or IPv6 CIDR ({@code 192.0.2.0/24}, {@code 2001:db8::/32}), or one
 * address. Held as 128 bits (IPv4 as {@code ::ffff:a.b.c.d}, prefix + 96), so that matching is two masked compares
 * and an IPv4 client seen through a dual-stack socket matches its IPv4 range.
 */
public record IpRange(long high, long low, int prefix, boolean ipv4) {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final long MAPPED = 0xffff_0000_0000L; // the low word's top half of ::ffff:0:0/96

    public IpRange {
        if (prefix < 0 || prefix > 128) throw new IllegalArgumentException("prefix 0–128");
        if ((high & ~mask(prefix, 0)) != 0 || (low & ~mask(prefix, 64)) != 0) {
            throw new IllegalArgumentException("bits set after the prefix");
        }
    }

    /** Parses {@code address[/prefix]}; the field {@code field} names the problem when it is not one. */
    public static IpRange parse(String field, String text) {
        if (text == null || text.isEmpty() || text.length() > 49) {
            throw new InvalidInputException(field, "'" + shown(text) + "' is not an IP address or CIDR range");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = bytes(addressText);
        if (bytes == null) throw new InvalidInputException(field, "'" + shown(text) + "' is not an IP address or CIDR range");
        boolean v4 = bytes.length == 4;
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            if (!prefixText.matches("(0|[1-9][0-9]{0,2})") || Integer.parseInt(prefixText) > max) {
                throw new InvalidInputException(field, "'" + shown(text) + "' has a prefix length that is not 0–" + max);
            }
            prefix = Integer.parseInt(prefixText);
        }
        long[] words = words(bytes);
        int full = v4 ? prefix + 96 : prefix;
        long high = words[0] & mask(full, 0), low = words[1] & mask(full, 64);
        if (high != words[0] || low != words[1]) {
            IpRange network = new IpRange(high, low, full, v4);
            throw new InvalidInputException(field, "'" + shown(text) + "' has bits set after the prefix; did you mean "
                    + network + "?");
        }
        return new IpRange(high, low, full, v4);
    }

    /** Whether {@code address} (4 or 16 bytes, as {@link InetAddress#getAddress()}) lies in this range. */
    public boolean contains(byte[] address) {
        long h, l;
        if (address.length == 4) {
            h = 0;
            l = MAPPED | (Integer.toUnsignedLong(((address[0] & 0xff) << 24) | ((address[1] & 0xff) << 16)
                    | ((address[2] & 0xff) << 8) | (address[3] & 0xff)));
        } else if (address.length == 16) {
            h = word(address, 0);
            l = word(address, 8);
        } else {
            return false;
        }
        return (h & mask(prefix, 0)) == high && (l & mask(prefix, 64)) == low;
    }

    /** The dotted-quad IPv4 literal {@code text} (no leading zeros) as an unsigned 32-bit value, or -1. */
    static long ipv4(String text) {
        long value = 0;
        int octet = -1, dots = 0, digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits > 0 && octet == 0) return -1; // a leading zero
                octet = (octet < 0 ? 0 : octet) * 10 + (c - '0');
                if (++digits > 3 || octet > 255) return -1;
            } else if (c == '.' && digits > 0 && dots < 3) {
                value = (value << 8) | octet;
                octet = -1;
                digits = 0;
                dots++;
            } else {
                return -1;
            }
        }
        return dots == 3 && digits > 0 ? (value << 8) | octet : -1;
    }

    /** Whether the IPv4 address {@code ipv4} (from {@link #ipv4(String)}) lies in this range. */
    boolean containsIpv4(long ipv4) {
        return high == 0 && ((MAPPED | ipv4) & mask(prefix, 64)) == low; // ::ffff:a.b.c.d has a zero high word
    }

    /** Whether every address of {@code other} lies in this range. */
    public boolean contains(IpRange other) {
        return other.prefix >= prefix && (other.high & mask(prefix, 0)) == high && (other.low & mask(prefix, 64)) == low;
    }

    /** As an allowlist shows it: {@code 192.0.2.0/24}, {@code 2001:db8::/32}, a single address without /32 or /128. */
    @Override
    public String toString() {
        byte[] bytes;
        int shownPrefix;
        if (ipv4) {
            bytes = new byte[]{(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
            shownPrefix = prefix - 96;
        } else {
            bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (high >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
            shownPrefix = prefix;
        }
        String address;
        try {
            address = ipv4 ? InetAddress.getByAddress(bytes).getHostAddress() : ipv6Text(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return shownPrefix == bytes.length * 8 ? address : address + "/" + shownPrefix;
    }

    /** RFC 5952's short form (lowercase, the longest run of zero groups as ::), which InetAddress does not give. */
    private static String ipv6Text(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') text.append(':');
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static byte[] bytes(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) return null;
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        // with a colon InetAddress parses a literal or fails: it never asks DNS; no zone ids (%eth0)
        if (!IPV6.matcher(text).matches() || text.indexOf(':') < 0) return null;
        try {
            return InetAddress.getByName(text).getAddress(); // ::ffff:192.0.2.1 comes back as 4 bytes: IPv4
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static long[] words(byte[] bytes) {
        if (bytes.length == 4) {
            return new long[]{0, MAPPED | Integer.toUnsignedLong(((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16)
                    | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff))};
        }
        return new long[]{word(bytes, 0), word(bytes, 8)};
    }

    private static long word(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) value = (value << 8) | (bytes[i] & 0xff);
        return value;
    }

    /** The mask of the 64-bit word starting at bit {@code offset} for a prefix of {@code prefix} bits. */
    private static long mask(int prefix, int offset) {
        int bits = Math.max(0, Math.min(64, prefix - offset));
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    private static String shown(String text) {
        if (text == null) return "";
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 50 ? clean.substring(0, 50) + "…" : clean;
    }
}
