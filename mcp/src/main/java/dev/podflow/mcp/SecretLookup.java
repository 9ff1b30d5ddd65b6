package dev.podflow.mcp;

import java.util.Map;
import java.util.Optional;

/**
 * Where {@code ${NAME}} in a server's definition is looked up: the pod's environment for the
 * operator's {@code mcp.json}, the tenant's secret store for a server a tenant registered (never
 * the pod's environment). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SecretLookup {
  /** The value named {@code name}, or empty when there is none. */
  Optional<String> find(String name);

  /** A lookup in a fixed map (the pod's environment, or a test's). */
  static SecretLookup of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /** A lookup that finds nothing: a definition that names a secret fails. */
  static SecretLookup none() {
    return name -> Optional.empty();
  }
}
