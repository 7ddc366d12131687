package dev.anonymoususers.util;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestAddressTest {

    @Test
    void anIpv4AddressCountsAsItself() {
        assertThat(RequestAddress.limitKey("203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void anIpv6AddressCountsByItsSlash64() {
        assertThat(RequestAddress.limitKey("2001:db8:1:2::1"))
                .isEqualTo(RequestAddress.limitKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(RequestAddress.limitKey("2001:db8:1:3::1")).isNotEqualTo(RequestAddress.limitKey("2001:db8:1:2::1"));
    }

    @Test
    void noAddressCountsTogether() {
        assertThat(RequestAddress.limitKey(null)).isEqualTo(RequestAddress.limitKey("")).isEqualTo("unknown");
    }
}
