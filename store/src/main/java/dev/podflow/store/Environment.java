package dev.podflow.store;

import java.time.Duration;
import java.util.Map;

/**
 * Typed reads of settings from an environment map (the process environment, which only {@code main}
 * reads, or a map a test passes): blank counts as unset, and a value out of range fails with an
 * {@link InvalidConfigurationException} that names the variable and the range. Immutable.
 */
public final class Environment {
  private final Map<String, String> variables;

  public Environment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** The variables as given. */
  public Map<String, String> variables() {
    return variables;
  }

  /** The trimmed value, or null when unset or blank. */
  public String text(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when unset. */
  public int integer(String name, int fallback, int min, int max) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) throw new NumberFormatException();
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException(
          name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
  }

  /** A number from 0 to 1, such as {@code 0.35}; {@code fallback} when unset. */
  public double fraction(String name, double fallback) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      double parsed = Double.parseDouble(value.trim());
      if (!(parsed >= 0 && parsed <= 1)) throw new NumberFormatException();
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException(
          name + " must be a number from 0 to 1 such as 0.35, got '" + value + "'");
    }
  }

  /** Whole seconds from {@code min} to {@code max}; {@code fallback} when unset. */
  public Duration seconds(String name, Duration fallback, int min, int max) {
    return Duration.ofSeconds(integer(name, (int) fallback.toSeconds(), min, max));
  }
}
