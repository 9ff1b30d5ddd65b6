package dev.podflow.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The JVM's host name resolver (JEP 418, registered in {@code META-INF/services}): the built-in
 * one, except that a host name an {@link OutboundGuard} has let through is checked again on every
 * resolution, so the address the HTTP client connects to is checked when it connects, not only when
 * the guard looked. A name that later resolves to a refused address (DNS rebinding, a short TTL)
 * fails to resolve with {@link UnknownHostException}.
 *
 * <p>Only names a guard registered are checked, and only after they first passed, so the pod's own
 * connections (database, model endpoints) resolve as before. A registered name is held to every
 * guard that registered it (the strictest wins) because a resolution does not say which client
 * asked. The JDK loads this provider at the first name lookup, through the thread's context class
 * loader; {@link #active()} says whether it did. Thread-safe.
 */
public final class GuardedResolverProvider extends InetAddressResolverProvider {
  private static final Map<String, Set<AddressPolicy>> GUARDED = new ConcurrentHashMap<>();
  private static final Map<String, String> LAST_REFUSAL = new ConcurrentHashMap<>();
  private static volatile boolean active;

  /** Answers that replace DNS for the named hosts, for the rebinding tests only. */
  static volatile Function<String, Optional<List<InetAddress>>> testAnswers =
      host -> Optional.empty();

  @Override
  public InetAddressResolver get(Configuration configuration) {
    active = true;
    return new Resolver(configuration.builtinResolver());
  }

  @Override
  public String name() {
    return "podflow-outbound-guard";
  }

  /** Whether the JVM resolves names through this provider. */
  static boolean active() {
    return active;
  }

  /** Holds {@code host} to {@code policy} on every later resolution. */
  static void guard(String host, AddressPolicy policy) {
    GUARDED.computeIfAbsent(key(host), k -> ConcurrentHashMap.newKeySet()).add(policy);
  }

  /**
   * Why the last resolution of {@code host} was refused (the JDK caches a failed lookup and
   * rethrows it without the reason), or empty when the last one passed.
   */
  static Optional<String> lastRefusal(String host) {
    return Optional.ofNullable(LAST_REFUSAL.get(key(host)));
  }

  private static String key(String host) {
    String key = host.toLowerCase(Locale.ROOT);
    return key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
  }

  private record Resolver(InetAddressResolver builtin) implements InetAddressResolver {
    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy)
        throws UnknownHostException {
      Optional<List<InetAddress>> test = testAnswers.apply(host);
      List<InetAddress> addresses =
          test.isPresent() ? test.get() : builtin.lookupByName(host, lookupPolicy).toList();
      Set<AddressPolicy> policies = GUARDED.get(key(host));
      if (policies != null) {
        for (InetAddress address : addresses) {
          for (AddressPolicy policy : policies) {
            Optional<String> why = policy.refusal(address);
            if (why.isPresent()) {
              String reason =
                  host
                      + " now resolves to "
                      + address.getHostAddress()
                      + ", which is "
                      + why.get()
                      + ": refused by the outbound guard ("
                      + OutboundGuard.SETTING
                      + ")";
              LAST_REFUSAL.put(key(host), reason);
              throw new UnknownHostException(reason);
            }
          }
        }
        LAST_REFUSAL.remove(key(host));
      }
      return addresses.stream();
    }

    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
      return builtin.lookupByAddress(addr);
    }
  }
}
