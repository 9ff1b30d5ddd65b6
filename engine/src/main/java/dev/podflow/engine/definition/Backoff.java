package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between failed attempts of an activity: after attempt n the task
 * waits about {@code initialSeconds × 2^(n-1)}, capped at {@code maxSeconds}, drawn from the upper
 * half of that window so retries of many tasks spread out.
 */
public record Backoff(double initialSeconds, double maxSeconds) {
  public static final Backoff DEFAULT = new Backoff(1, 300);
  static final double LONGEST_SECONDS = 86_400;

  public Backoff {
    if (!(initialSeconds > 0) || maxSeconds < initialSeconds || maxSeconds > LONGEST_SECONDS) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initialSeconds <= maxSeconds <= "
              + LONGEST_SECONDS
              + ", got "
              + initialSeconds
              + " and "
              + maxSeconds);
    }
  }

  /** The delay before the attempt that follows failed attempt {@code failedAttempt} (1-based). */
  public Duration delayAfter(int failedAttempt) {
    double ceiling =
        Math.min(maxSeconds, initialSeconds * Math.pow(2, Math.max(0, failedAttempt - 1)));
    double jittered = ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2;
    return Duration.ofMillis(Math.round(jittered * 1000));
  }

  /**
   * Reads an activity's {@code backoff}: {@code {"initialSeconds": a, "maxSeconds": b}} with 0 < a
   * <= b <= one day, either may be left out; {@link #DEFAULT} when absent or wrong, with the
   * problems in {@code violations}.
   */
  static Backoff parse(JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return DEFAULT;
    if (!json.isObject()) {
      violations.add(
          new Violation(at, "must be an object {\"initialSeconds\": n, \"maxSeconds\": m}"));
      return DEFAULT;
    }
    int before = violations.size();
    FieldChecks.unknownFields(json, Set.of("initialSeconds", "maxSeconds"), at, violations);
    double initial =
        optionalSeconds(json, "initialSeconds", at, DEFAULT.initialSeconds(), violations);
    double max =
        optionalSeconds(
            json, "maxSeconds", at, Math.max(initial, DEFAULT.maxSeconds()), violations);
    if (violations.size() > before) return DEFAULT;
    if (max < initial) {
      violations.add(
          new Violation(
              at + "/maxSeconds", "must not be less than initialSeconds (" + initial + ")"));
      return DEFAULT;
    }
    return new Backoff(initial, max);
  }

  private static double optionalSeconds(
      JsonNode json, String field, String at, double fallback, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isNumber() || !(value.asDouble() > 0) || value.asDouble() > LONGEST_SECONDS) {
      violations.add(
          new Violation(
              at + "/" + field,
              "must be a number of seconds above 0 and at most " + (long) LONGEST_SECONDS));
      return fallback;
    }
    return value.asDouble();
  }
}
