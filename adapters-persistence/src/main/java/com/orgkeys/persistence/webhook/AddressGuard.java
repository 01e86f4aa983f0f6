package com.orgkeys.persistence.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which addresses webhooks may be sent to: public unicast ones only. Refused: unspecified (0.0.0.0, ::), loopback,
 * private (RFC 1918), shared (CGNAT, 100.64/10), link-local (169.254/16, the cloud metadata service included;
 * fe80::/10), unique-local (fc00::/7), site-local, multicast, broadcast, reserved, benchmark and documentation
 * ranges, and IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) when that address is
 * refused.
 */
final class AddressGuard {
    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) return false;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (prefix[i / 8] & mask)) return false;
            }
            return true;
        }
    }

    private static final List<Block> REFUSED_V4 = List.of(
            block("0.0.0.0", 8), block("10.0.0.0", 8), block("100.64.0.0", 10), block("127.0.0.0", 8),
            block("169.254.0.0", 16), block("172.16.0.0", 12), block("192.0.0.0", 24), block("192.0.2.0", 24),
            block("192.88.99.0", 24), block("192.168.0.0", 16), block("198.18.0.0", 15), block("198.51.100.0", 24),
            block("203.0.113.0", 24), block("224.0.0.0", 4), block("240.0.0.0", 4));
    private static final List<Block> REFUSED_V6 = List.of(
            block("::", 128), block("::1", 128), block("fc00::", 7), block("fe80::", 10), block("fec0::", 10),
            block("ff00::", 8), block("100::", 64), block("2001:db8::", 32), block("2001::", 23));

    private AddressGuard() {
    }

    /** Why {@code address} is refused, or null when webhooks may go there. */
    static String refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) return refusedV4(embedded) ? "an IPv6 form of a private IPv4 address" : null;
            for (Block block : REFUSED_V6) if (block.contains(bytes)) return "a private or reserved IPv6 address";
            return null;
        }
        if (address instanceof Inet4Address && refusedV4(bytes)) return "a private or reserved address";
        return null;
    }

    private static boolean refusedV4(byte[] bytes) {
        return REFUSED_V4.stream().anyMatch(b -> b.contains(bytes));
    }

    /** The IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d and 2002:ab:cd::; null for others. */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zeroTo10 = true;
        for (int i = 0; i < 10; i++) zeroTo10 &= v6[i] == 0;
        boolean mapped = zeroTo10 && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
        boolean compatible = zeroTo10 && v6[10] == 0 && v6[11] == 0 && !(v6[12] == 0 && v6[13] == 0 && v6[14] == 0);
        boolean nat64 = v6[0] == 0 && v6[1] == 0x64 && v6[2] == (byte) 0xff && v6[3] == (byte) 0x9b;
        if (mapped || compatible || nat64) return new byte[]{v6[12], v6[13], v6[14], v6[15]};
        if (v6[0] == 0x20 && v6[1] == 0x02) return new byte[]{v6[2], v6[3], v6[4], v6[5]};
        return null;
    }

    private static Block block(String address, int bits) {
        try {
            return new Block(InetAddress.getByName(address).getAddress(), bits);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
