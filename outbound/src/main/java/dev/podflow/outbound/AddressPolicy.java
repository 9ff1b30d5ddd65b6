package dev.podflow.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses the pod may reach: every address except the ranges below, unless an allowed range
 * contains it. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged
 * by that IPv4 address as well. Immutable and thread-safe.
 */
record AddressPolicy(List<AddressRange> allowed) {

  private record Refused(AddressRange range, String why) {}

  private static final List<Refused> REFUSED =
      List.of(
          refused("0.0.0.0/8", "unspecified (this host)"),
          refused("10.0.0.0/8", "private"),
          refused("100.64.0.0/10", "shared (carrier-grade NAT)"),
          refused("127.0.0.0/8", "loopback"),
          refused("169.254.169.254/32", "link-local (cloud metadata)"),
          refused("169.254.0.0/16", "link-local"),
          refused("172.16.0.0/12", "private"),
          refused("192.0.0.0/24", "reserved (IETF protocol assignments)"),
          refused("192.168.0.0/16", "private"),
          refused("198.18.0.0/15", "reserved (benchmarking)"),
          refused("224.0.0.0/4", "multicast"),
          refused("240.0.0.0/4", "reserved (incl. broadcast)"),
          refused("::/128", "unspecified (this host)"),
          refused("::1/128", "loopback"),
          refused("fd00:ec2::254/128", "unique local (cloud metadata)"),
          refused("fc00::/7", "unique local (private)"),
          refused("fe80::/10", "link-local"),
          refused("fec0::/10", "site-local"),
          refused("ff00::/8", "multicast"));

  // Built from bytes: the JDK parses "::ffff:0:0" as the IPv4 address 0.0.0.0.
  private static final AddressRange MAPPED =
      new AddressRange(
          new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);
  private static final AddressRange COMPATIBLE = AddressRange.parse("::/96");
  private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");
  private static final AddressRange SIX_TO_FOUR = AddressRange.parse("2002::/16");

  AddressPolicy {
    allowed = List.copyOf(allowed);
  }

  private static Refused refused(String cidr, String why) {
    return new Refused(AddressRange.parse(cidr), why);
  }

  /** Why {@code address} is refused, or empty when the pod may reach it. */
  Optional<String> refusal(InetAddress address) {
    List<byte[]> forms = forms(address.getAddress());
    for (byte[] form : forms) {
      for (AddressRange range : allowed) {
        if (range.contains(form)) return Optional.empty();
      }
    }
    for (byte[] form : forms) {
      for (Refused refused : REFUSED) {
        if (refused.range().contains(form)) return Optional.of(refused.why());
      }
    }
    return Optional.empty();
  }

  /** The address itself and, for IPv6 that embeds an IPv4 address, that IPv4 address. */
  private static List<byte[]> forms(byte[] bytes) {
    List<byte[]> forms = new ArrayList<>(List.of(bytes));
    if (bytes.length == 16) {
      if (MAPPED.contains(bytes) || NAT64.contains(bytes)) {
        forms.add(Arrays.copyOfRange(bytes, 12, 16));
      } else if (COMPATIBLE.contains(bytes) && !isZeroOrOne(bytes)) {
        forms.add(Arrays.copyOfRange(bytes, 12, 16));
      } else if (SIX_TO_FOUR.contains(bytes)) {
        forms.add(Arrays.copyOfRange(bytes, 2, 6));
      }
    }
    return forms;
  }

  /** :: and ::1 are themselves, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1. */
  private static boolean isZeroOrOne(byte[] bytes) {
    for (int i = 0; i < 15; i++) if (bytes[i] != 0) return false;
    return bytes[15] == 0 || bytes[15] == 1;
  }
}
