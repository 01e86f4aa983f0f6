package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAllowlistTest {
    @Test
    public void ipv4_and_ipv6_ranges_match_their_addresses_only() {
        IpAllowlist list = IpAllowlist.parse(List.of("192.0.2.0/24", "198.51.100.7", "2001:db8::/32", "10.0.0.0/8"));
        assertTrue(list.permits("192.0.2.0"));
        assertTrue(list.permits("192.0.2.255"));
        assertFalse(list.permits("192.0.3.0"));
        assertTrue(list.permits("198.51.100.7"));
        assertFalse(list.permits("198.51.100.8"));
        assertTrue(list.permits("10.255.0.1"));
        assertTrue(list.permits("2001:db8:ffff::1"));
        assertTrue(list.permits("2001:0DB8::1"));
        assertFalse(list.permits("2001:db9::1"));
        assertTrue(list.permits("::ffff:192.0.2.9"), "an IPv4 client seen through a dual-stack socket");
        assertFalse(list.permits("not an address"));
        assertFalse(list.permits("192.0.2.01"), "leading zeros read as octal elsewhere");
        assertFalse(list.permits("192.0.2"));
        assertFalse(list.permits("192.0.2.1.5"));
    }

    @Test
    public void whole_spaces_and_the_empty_list_permit_everything_of_their_kind() {
        assertTrue(IpAllowlist.ANYWHERE.permits("203.0.113.1"));
        IpAllowlist allV4 = IpAllowlist.parse(List.of("0.0.0.0/0"));
        assertTrue(allV4.permits("203.0.113.1"));
        assertFalse(allV4.permits("2001:db8::1"));
        IpAllowlist allV6 = IpAllowlist.parse(List.of("::/0"));
        assertTrue(allV6.permits("2001:db8::1"));
    }

    @Test
    public void ranges_are_shown_in_their_short_form_and_bad_ones_are_named() {
        assertEquals(List.of("2001:db8::/32", "192.0.2.7", "::1"),
                IpAllowlist.parse(List.of("2001:0DB8:0:0::/32", "192.0.2.7/32", "::1")).texts());
        var e = assertThrows(InvalidInputException.class, () -> IpAllowlist.parse(List.of("2001:db8::1/32", "1.2.3.4/x",
                "host.example", "")));
        assertEquals(4, e.errors().size());
        assertEquals("'2001:db8::1/32' has bits set after the prefix; did you mean 2001:db8::/32?", e.errors().get(0).message());
    }

    @Test
    public void a_list_is_within_another_when_each_of_its_ranges_lies_in_one_of_the_others() {
        IpAllowlist office = IpAllowlist.parse(List.of("192.0.2.0/24", "2001:db8::/32"));
        assertTrue(IpAllowlist.parse(List.of("192.0.2.8/30", "2001:db8:1::/48")).within(office));
        assertTrue(office.within(office));
        assertTrue(office.within(IpAllowlist.ANYWHERE), "anywhere holds every list");
        assertFalse(IpAllowlist.ANYWHERE.within(office), "dropping the list lets every address in");
        assertFalse(IpAllowlist.parse(List.of("192.0.2.0/23")).within(office));
        assertFalse(IpAllowlist.parse(List.of("192.0.2.8/30", "198.51.100.1")).within(office));
    }

    @Test
    public void a_rate_limit_is_no_looser_with_no_bigger_burst_and_no_higher_rate() {
        RateLimit now = new RateLimit(100, 60);
        assertTrue(new RateLimit(50, 60).noLooserThan(now));
        assertTrue(new RateLimit(100, 120).noLooserThan(now), "half the rate, the same burst");
        assertTrue(now.noLooserThan(now));
        assertFalse(new RateLimit(101, 60).noLooserThan(now));
        assertFalse(new RateLimit(50, 20).noLooserThan(now), "a smaller burst, but a higher rate");
        assertFalse(new RateLimit(200, 240).noLooserThan(now), "a lower rate, but a bigger burst");
    }
}
