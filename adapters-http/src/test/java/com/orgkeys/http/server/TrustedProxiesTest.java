package com.orgkeys.http.server;

import com.orgkeys.http.server.TrustedProxies.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    static final InetAddress PROXY = ip("10.0.0.5");
    static final InetAddress STRANGER = ip("198.51.100.7");
    final TrustedProxies xff = TrustedProxies.parse("10.0.0.0/8, 2001:db8:aa::/48", Header.X_FORWARDED_FOR);
    final TrustedProxies forwarded = TrustedProxies.parse("10.0.0.0/8, 2001:db8:aa::/48", Header.FORWARDED);

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- the list ------------------------------------------------------------------------------------------

    @Test
    void ranges_of_both_families_contain_exactly_their_addresses() {
        var proxies = TrustedProxies.parse("192.0.2.0/24,2001:db8::/32, 127.0.0.1, ::1", Header.X_FORWARDED_FOR);
        assertTrue(proxies.trusts(ip("192.0.2.0")));
        assertTrue(proxies.trusts(ip("192.0.2.255")));
        assertFalse(proxies.trusts(ip("192.0.3.0")));
        assertTrue(proxies.trusts(ip("2001:db8:ffff::1")));
        assertFalse(proxies.trusts(ip("2001:db9::1")));
        assertTrue(proxies.trusts(ip("127.0.0.1")));
        assertFalse(proxies.trusts(ip("127.0.0.2")));
        assertTrue(proxies.trusts(ip("::1")));
        assertTrue(proxies.trusts(ip("::ffff:192.0.2.9")), "an IPv4-mapped IPv6 address is that IPv4 host");
        assertFalse(proxies.trusts(ip("::ffff:192.0.3.9")));
    }

    @Test
    void odd_prefix_lengths_and_the_whole_internet_work() {
        var proxies = TrustedProxies.parse("172.16.0.0/12, 0.0.0.0/0", Header.X_FORWARDED_FOR);
        assertTrue(proxies.trusts(ip("8.8.8.8")));
        assertFalse(proxies.trusts(ip("2001:db8::1")), "an IPv4 range never contains an IPv6 address");
        var twelve = TrustedProxies.parse("172.16.0.0/12", Header.X_FORWARDED_FOR);
        assertTrue(twelve.trusts(ip("172.31.255.255")));
        assertFalse(twelve.trusts(ip("172.32.0.0")));
        var odd = TrustedProxies.parse("2001:db8::/33", Header.X_FORWARDED_FOR);
        assertTrue(odd.trusts(ip("2001:db8:7fff::1")));
        assertFalse(odd.trusts(ip("2001:db8:8000::1")));
    }

    @Test
    void an_empty_list_trusts_nobody() {
        assertTrue(TrustedProxies.parse(" , ", Header.X_FORWARDED_FOR).isEmpty());
        assertFalse(TrustedProxies.none().trusts(ip("127.0.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0/8", "256.0.0.0/8", "010.0.0.0/8",
            "example.com", "localhost", "10.0.0.0/8/8", "::1/129", "2001:db8::/x", "fe80::1%eth0", "1.2.3.4:80",
            "[::1]", "10.0.0.0 /8", "*"})
    void malformed_entries_are_refused_naming_them(String entry) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("127.0.0.1/32, " + entry, Header.X_FORWARDED_FOR));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }

    @Test
    void host_bits_after_the_prefix_are_refused_with_the_likely_meaning() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("10.1.2.3/8", Header.X_FORWARDED_FOR));
        assertTrue(e.getMessage().contains("did you mean 10.0.0.0/8?"), e.getMessage());
    }

    // ---- X-Forwarded-For -----------------------------------------------------------------------------------

    @Test
    void an_untrusted_peer_is_the_client_whatever_it_claims() {
        assertEquals(STRANGER, xff.clientAddress(STRANGER, List.of("203.0.113.1")));
        assertEquals(STRANGER, forwarded.clientAddress(STRANGER, List.of("for=203.0.113.1")));
        assertEquals(PROXY, TrustedProxies.none().clientAddress(PROXY, List.of("203.0.113.1")));
    }

    @Test
    void a_trusted_peer_without_the_header_is_the_client() {
        assertEquals(PROXY, xff.clientAddress(PROXY, null));
        assertEquals(PROXY, xff.clientAddress(PROXY, List.of()));
        assertEquals(PROXY, xff.clientAddress(PROXY, List.of("")));
    }

    @Test
    void the_right_most_untrusted_hop_is_the_client_and_what_it_wrote_is_ignored() {
        // the client sent "1.1.1.1, 2.2.2.2" itself; our proxies appended 203.0.113.9 then 10.0.0.7
        assertEquals(ip("203.0.113.9"), xff.clientAddress(PROXY, List.of("1.1.1.1, 2.2.2.2, 203.0.113.9, 10.0.0.7")));
        assertEquals(ip("203.0.113.9"), xff.clientAddress(PROXY, List.of("1.1.1.1,2.2.2.2", "203.0.113.9", "10.0.0.7")),
                "several header lines are one list");
    }

    @Test
    void when_every_hop_is_trusted_the_left_most_is_the_client() {
        assertEquals(ip("10.1.1.1"), xff.clientAddress(PROXY, List.of("10.1.1.1, 10.2.2.2")));
    }

    @Test
    void ports_brackets_and_bare_ipv6_are_understood() {
        assertEquals(ip("203.0.113.9"), xff.clientAddress(PROXY, List.of("203.0.113.9:51234")));
        assertEquals(ip("2001:db8:1::9"), xff.clientAddress(PROXY, List.of("2001:db8:1::9")));
        assertEquals(ip("2001:db8:1::9"), xff.clientAddress(PROXY, List.of("[2001:db8:1::9]")));
        assertEquals(ip("2001:db8:1::9"), xff.clientAddress(PROXY, List.of("[2001:db8:1::9]:443")));
        assertEquals(ip("2001:db8:1::9"), xff.clientAddress(ip("2001:db8:aa::1"), List.of("2001:db8:1::9, 2001:db8:aa::2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "_hidden", "", "not-an-ip", "example.com", "300.1.1.1", "1.2.3", "01.2.3.4",
            "1.2.3.4:", "1.2.3.4:99999999", "[2001:db8::1", "[2001:db8::1]x", "2001:db8::g", "fe80::1%eth0",
            "\"1.2.3.4\"", "1.2.3.4 5.6.7.8", "::ffff:zz"})
    void a_hop_that_is_not_an_address_ends_the_walk_at_the_proxy_that_reported_it(String hop) {
        assertEquals(ip("10.0.0.7"), xff.clientAddress(PROXY, List.of("203.0.113.1, " + hop + ", 10.0.0.7")));
        assertEquals(PROXY, xff.clientAddress(PROXY, List.of("203.0.113.1, " + hop)));
    }

    @Test
    void a_very_long_chain_of_trusted_hops_is_not_followed_forever() {
        String many = String.join(", ", java.util.Collections.nCopies(5000, "10.9.9.9"));
        assertEquals(ip("10.9.9.9"), xff.clientAddress(PROXY, List.of("203.0.113.1, " + many)));
        String some = String.join(", ", java.util.Collections.nCopies(TrustedProxies.MAX_HOPS - 1, "10.9.9.9"));
        assertEquals(ip("203.0.113.1"), xff.clientAddress(PROXY, List.of("203.0.113.1, " + some)));
    }

    @Test
    void the_header_not_chosen_is_ignored() {
        // behind a proxy that maintains X-Forwarded-For, a client's own Forwarded header arrives untouched
        assertEquals(PROXY, xff.clientAddress(PROXY, null));
        assertEquals(PROXY, forwarded.clientAddress(PROXY, null));
    }

    // ---- Forwarded (RFC 7239) ------------------------------------------------------------------------------

    @Test
    void forwarded_for_values_with_quotes_brackets_ports_and_other_parameters() {
        assertEquals(ip("203.0.113.9"), forwarded.clientAddress(PROXY, List.of("for=203.0.113.9")));
        assertEquals(ip("203.0.113.9"), forwarded.clientAddress(PROXY, List.of("For=\"203.0.113.9:4711\"")));
        assertEquals(ip("2001:db8:1::9"), forwarded.clientAddress(PROXY, List.of("for=\"[2001:db8:1::9]\"")));
        assertEquals(ip("2001:db8:1::9"), forwarded.clientAddress(PROXY, List.of("for=\"[2001:db8:1::9]:4711\"")));
        assertEquals(ip("203.0.113.9"), forwarded.clientAddress(PROXY,
                List.of("proto=https;for=203.0.113.9;by=10.0.0.5;host=\"keys.example.com\"")));
        assertEquals(ip("203.0.113.9"), forwarded.clientAddress(PROXY,
                List.of("for=1.1.1.1, for=203.0.113.9 ; proto=https, for=10.0.0.7")));
        assertEquals(ip("203.0.113.9"), forwarded.clientAddress(PROXY, List.of("for=1.1.1.1", "for=203.0.113.9")));
    }

    @Test
    void commas_and_semicolons_inside_quoted_values_do_not_split_elements() {
        assertEquals(ip("203.0.113.9"), forwarded.clientAddress(PROXY,
                List.of("for=203.0.113.9;host=\"a,b;c\\\"d\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=unknown", "for=_hidden", "for=\"_gazonk\"", "proto=https", "for=",
            "for=1.2.3.4;for=5.6.7.8", "garbage", "for=\"[2001:db8::1\"", "by=203.0.113.1"})
    void forwarded_elements_without_one_usable_for_end_the_walk(String element) {
        assertEquals(ip("10.0.0.7"), forwarded.clientAddress(PROXY, List.of("for=203.0.113.1, " + element + ", for=10.0.0.7")));
    }

    @Test
    void an_unterminated_quote_swallows_the_rest_and_ends_the_walk() {
        assertEquals(PROXY, forwarded.clientAddress(PROXY, List.of("for=203.0.113.1, for=\"10.0.0.7, for=10.0.0.8")));
    }

    @Test
    void node_parsing_never_resolves_names() {
        assertNull(TrustedProxies.node("localhost"));
        assertNull(TrustedProxies.node("example.com:80"));
        assertNull(TrustedProxies.ipv6("dead:beef.example.com"));
    }
}
