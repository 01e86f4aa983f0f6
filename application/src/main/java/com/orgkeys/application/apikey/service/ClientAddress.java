package com.orgkeys.application.apikey.service;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A client's IP address as two longs (its IPv6 form; IPv4 as ::ffff:a.b.c.d), so a pending count holds it without an
 * object. 0, 0 (the unspecified address, never a client's) stands for "unknown".
 */
final class ClientAddress {
    private ClientAddress() {
    }

    /** The address's 128 bits, or {0, 0} when {@code literal} is not an IP address literal. */
    static long[] bits(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 64) return new long[2];
        byte[] bytes = parse(literal);
        if (bytes == null) return new long[2];
        byte[] v6 = bytes;
        if (bytes.length == 4) {
            v6 = new byte[16];
            v6[10] = (byte) 0xFF;
            v6[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, v6, 12, 4);
        }
        ByteBuffer buffer = ByteBuffer.wrap(v6);
        return new long[]{buffer.getLong(), buffer.getLong()};
    }

    static Optional<String> text(long high, long low) {
        if (high == 0 && low == 0) return Optional.empty();
        byte[] bytes = ByteBuffer.allocate(16).putLong(high).putLong(low).array();
        try {
            return Optional.of(InetAddress.getByAddress(bytes).getHostAddress()); // a mapped IPv4 comes back as IPv4
        } catch (UnknownHostException e) {
            return Optional.empty(); // 16 bytes are always an address
        }
    }

    /** Literals only: a host name would mean a DNS lookup on a request's thread. */
    private static byte[] parse(String literal) {
        if (literal.indexOf(':') >= 0) { // in brackets InetAddress takes only an IPv6 literal, never asks DNS
            int scope = literal.indexOf('%');
            String address = scope < 0 ? literal : literal.substring(0, scope);
            if (!address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
            try {
                InetAddress parsed = InetAddress.getByName("[" + address + "]");
                return parsed instanceof Inet6Address || parsed.getAddress().length == 4 ? parsed.getAddress() : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        // a.b.c.d by hand: this runs on every verified request, so no split, no regular expression
        byte[] bytes = new byte[4];
        int part = 0, value = 0, digits = 0;
        for (int i = 0; i <= literal.length(); i++) {
            char c = i == literal.length() ? '.' : literal.charAt(i);
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) return null;
            } else if (c == '.' && digits > 0 && part < 4) {
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (part != 4) return null;
        return bytes;
    }
}
