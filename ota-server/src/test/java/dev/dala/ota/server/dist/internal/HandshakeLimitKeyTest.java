package dev.dala.ota.server.dist.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the per-address handshake limit counts as one address. */
class HandshakeLimitKeyTest {

  @Test
  void anIpv4AddressCountsAlone() {
    assertThat(Acceptor.limitKey("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(Acceptor.limitKey("203.0.113.8")).isNotEqualTo(Acceptor.limitKey("203.0.113.7"));
  }

  @Test
  void everyAddressOfAnIpv6Slash64CountsAsOne() {
    String one = Acceptor.limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    assertThat(Acceptor.limitKey("2001:db8:1:2::1")).isEqualTo(one);
    assertThat(Acceptor.limitKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).isEqualTo(one);
    assertThat(one).isEqualTo("20010db800010002::/64");
    assertThat(Acceptor.limitKey("2001:db8:1:3::1")).isNotEqualTo(one);
  }

  @Test
  void anIpv4MappedAddressCountsAsTheIpv4ClientItMaps() {
    assertThat(Acceptor.limitKey("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test
  void somethingThatIsNotALiteralCountsAsItIs() {
    assertThat(Acceptor.limitKey("unknown")).isEqualTo("unknown");
    assertThat(Acceptor.limitKey("not:an:address:zz")).isEqualTo("not:an:address:zz");
  }
}
