package dev.podflow.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the request parameters routes share (ids, page sizes, filters); a bad value is a 400 that
 * names the parameter and what it takes. Refuses, before any route runs, a query parameter holding
 * U+0000 (PostgreSQL's text cannot, so a query bound to it would fail as a 500).
 */
final class QueryParams {
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private QueryParams() {}

  static void register(RoutesConfig routes) {
    routes.before(QueryParams::refuseNul);
  }

  private static void refuseNul(Context ctx) {
    for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
      boolean inValue = param.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0);
      if (inValue || param.getKey().indexOf('\0') >= 0) {
        throw new InvalidRequestException(
            "query parameter "
                + Problems.echo(param.getKey().replace("\0", "%00"))
                + " holds U+0000 (%00), which no stored value can hold");
      }
    }
  }

  /**
   * A non-negative id, or 0 when absent.
   *
   * @param name the parameter as the client wrote it, for the message
   * @param kind what the id names ("event", "task"), for the message
   */
  static long id(String name, String kind, String raw) {
    if (raw == null) return 0;
    try {
      long id = Long.parseLong(raw.trim());
      if (id >= 0) return id;
    } catch (NumberFormatException e) {
      // answered below, like any other bad value
    }
    throw new InvalidRequestException(
        name + " must be a " + kind + " id (a whole number from 0), got " + Problems.echo(raw));
  }

  /** A page size from 1 to {@code max}, or {@code fallback} when absent. */
  static int limit(String raw, int fallback, int max) {
    if (raw == null) return fallback;
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= max) return limit;
    } catch (NumberFormatException e) {
      // answered below, like any other bad value
    }
    throw new InvalidRequestException(
        "limit must be a whole number from 1 to " + max + ", got " + Problems.echo(raw));
  }

  /** {@code true} or {@code false}; false when absent. */
  static boolean flag(String name, String raw) {
    if (raw == null || raw.equals("false")) return false;
    if (raw.equals("true")) return true;
    throw new InvalidRequestException(name + " must be true or false, got " + Problems.echo(raw));
  }

  /** A filter's text, or null when absent; present but blank is refused. */
  static String text(String name, String raw) {
    if (raw != null && raw.isBlank()) {
      throw new InvalidRequestException(
          name + " must not be blank; leave it out not to filter by it");
    }
    return raw;
  }

  /**
   * An ISO-8601 instant such as {@code 2025-05-01T12:00:00Z} from year 1 to 9999, or null when
   * absent. (Java parses years up to ±1,000,000,000, far beyond PostgreSQL's {@code timestamptz}:
   * such a filter failed the query as a 500.)
   */
  static Instant instant(String name, String raw) {
    if (raw == null) return null;
    Instant instant;
    try {
      instant = Instant.parse(raw.trim());
    } catch (DateTimeException e) {
      instant = null;
    }
    if (instant == null || instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new InvalidRequestException(
          name
              + " must be an ISO-8601 instant from year 1 to 9999 such as 2025-05-01T12:00:00Z, got "
              + Problems.echo(raw));
    }
    return instant;
  }

  /** One of {@code type}'s constants by its exact name, or null when absent. */
  static <E extends Enum<E>> E oneOf(String name, String raw, Class<E> type) {
    if (raw == null) return null;
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(raw)) return constant;
    }
    throw new InvalidRequestException(
        name
            + " must be one of "
            + Arrays.toString(type.getEnumConstants())
            + ", got "
            + Problems.echo(raw));
  }
}
