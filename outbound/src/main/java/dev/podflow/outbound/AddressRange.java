package dev.podflow.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A CIDR block, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code fc00::/7}); an address without a prefix is
 * a block of one. Immutable.
 */
record AddressRange(byte[] network, int prefix) {

  /** Parses {@code text}; null when it is not an IP literal with an optional /prefix. */
  static AddressRange parse(String text) {
    String address = text;
    int prefix = -1;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      address = text.substring(0, slash);
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    if (!isLiteral(address)) return null;
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
    int bits = bytes.length * 8;
    if (prefix == -1) prefix = bits;
    if (prefix < 0 || prefix > bits) return null;
    return new AddressRange(bytes, prefix);
  }

  /** Whether {@code text} is an IPv4 or IPv6 literal (so resolving it asks no DNS). */
  static boolean isLiteral(String text) {
    return text.matches("\\d{1,3}(\\.\\d{1,3}){3}") || text.contains(":");
  }

  boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  boolean contains(byte[] bytes) {
    if (bytes.length != network.length) return false;
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) return false;
    }
    int rest = prefix % 8;
    if (rest == 0) return true;
    int mask = (0xff << (8 - rest)) & 0xff;
    return (bytes[whole] & mask) == (network[whole] & mask);
  }
}
