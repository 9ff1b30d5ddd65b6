package dev.podflow.store.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller of the API may do within its tenant, each role including the one before it: a
 * {@code user} starts processes and works on its own; an {@code operator} reads and runs everything
 * of its tenant; an {@code admin} also manages definitions, agents and keys.
 */
public enum Role {
  USER,
  OPERATOR,
  ADMIN;

  /** The name in keys, tokens and the API: {@code user}, {@code operator}, {@code admin}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role may do what {@code required} may. */
  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }

  /** The role with this wire name, or empty. */
  public static Optional<Role> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
