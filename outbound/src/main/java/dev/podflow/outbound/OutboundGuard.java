package dev.podflow.outbound;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The SSRF guard for URLs that tenants or the operator name (MCP servers, later A2A peers): a URL
 * may reach any address except loopback, private, link-local (cloud metadata included), shared
 * (CGNAT), unspecified, multicast and reserved ones, in IPv4, IPv6 and the IPv6 forms that carry
 * IPv4, unless {@value #SETTING} allows its host or address.
 *
 * <p>How it holds, in order: (1) {@link #check} resolves the URL's host and refuses it when any of
 * its addresses is refused; (2) the HTTP client from {@link #clientBuilder} checks every request
 * that way, follows redirects itself so each hop is checked, and uses no proxy; (3) a host name
 * that passed is registered with {@link GuardedResolverProvider}, so the resolution the JDK makes
 * when it connects is checked again and a name that now resolves to a refused address fails then.
 *
 * <p>Residual risk: if the JDK did not load the resolver provider (another provider came first on
 * the class path, {@code jdk.net.hosts.file} is set) step 3 is missing, so URLs with a host name
 * are refused outright rather than checked once ({@link #check} says why). An allowed host name is
 * trusted whatever it resolves to. A server on an allowed address can still act as a proxy of its
 * own. Immutable and thread-safe.
 */
public final class OutboundGuard {
  /** Comma-separated hosts or CIDR blocks the guard lets through. */
  public static final String SETTING = "PODFLOW_OUTBOUND_ALLOW";

  private final AddressPolicy policy;
  private final Set<String> allowedHosts;

  /**
   * @param allow host names, addresses or CIDR blocks to let through (IPv4 or IPv6)
   */
  public OutboundGuard(Collection<String> allow) {
    List<AddressRange> ranges = new ArrayList<>();
    Set<String> hosts = new TreeSet<>();
    for (String entry : allow) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) continue;
      AddressRange range = AddressRange.parse(trimmed);
      if (range != null) {
        ranges.add(range);
      } else if (trimmed.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
        hosts.add(trimmed.toLowerCase(Locale.ROOT));
      } else {
        throw new InvalidConfigurationException(
            SETTING + " lists '" + trimmed + "', which is neither a host name nor an address/CIDR");
      }
    }
    this.policy = new AddressPolicy(ranges);
    this.allowedHosts = Set.copyOf(hosts);
    warmUpResolver();
  }

  /** The guard {@value #SETTING} describes (unset: nothing allowed). */
  public static OutboundGuard fromEnvironment(Environment environment) {
    String list = environment.text(SETTING);
    return new OutboundGuard(list == null ? List.of() : List.of(list.split(",")));
  }

  /**
   * Refuses {@code url} unless it is http(s) and every address its host resolves to may be reached;
   * a host name that passes is re-checked on every later resolution.
   *
   * @throws OutboundRefusedException naming the host, the address and the reason
   */
  public void check(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost();
    if (!scheme.equals("http") && !scheme.equals("https") || host == null) {
      throw new OutboundRefusedException(
          "only http and https URLs with a host may be reached, not " + scheme + "://" + host);
    }
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) return;
    boolean literal = AddressRange.isLiteral(host);
    if (!literal && !GuardedResolverProvider.active()) {
      throw new OutboundRefusedException(
          "host "
              + host
              + " cannot be checked at connect time: the JVM does not resolve names through"
              + " GuardedResolverProvider (another InetAddressResolverProvider came first, or"
              + " jdk.net.hosts.file is set); use an address, or list the host in "
              + SETTING);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      String why = GuardedResolverProvider.lastRefusal(host).orElse(e.getMessage());
      throw new OutboundRefusedException("host " + host + " cannot be reached: " + why);
    }
    for (InetAddress address : addresses) {
      Optional<String> why = policy.refusal(address);
      if (why.isPresent()) {
        throw new OutboundRefusedException(
            "host "
                + host
                + (literal ? " is " : " resolves to " + address.getHostAddress() + ", which is ")
                + why.get()
                + ": refused by the outbound guard; "
                + SETTING
                + " can allow it");
      }
    }
    if (!literal) GuardedResolverProvider.guard(host, policy);
  }

  /**
   * An HTTP client builder whose clients check every request and redirect with this guard, follow
   * redirects themselves (at most {@value GuardedHttpClient#MAX_REDIRECTS}, never https to http)
   * and use no proxy. {@code credentialHeaders} are dropped when a redirect leaves the origin, like
   * Authorization and Cookie. {@code onBuild} sees each client built (its owner closes it).
   */
  public HttpClient.Builder clientBuilder(
      Collection<String> credentialHeaders, Consumer<HttpClient> onBuild) {
    return new GuardedHttpClientBuilder(this, credentialHeaders, onBuild);
  }

  /**
   * Makes the JDK pick its resolver now, on this thread, rather than at some later first lookup on
   * a thread whose class loader might not see the provider.
   */
  private static void warmUpResolver() {
    try {
      InetAddress.getAllByName("localhost");
    } catch (UnknownHostException ignored) {
      // only the side effect matters
    }
  }
}
