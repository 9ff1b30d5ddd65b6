package dev.podflow.api;

/**
 * Reads the numeric request parameters routes share (ids for paging, page sizes); bad values are
 * 400s.
 */
final class QueryParams {
  private QueryParams() {}

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
}
