package dev.podflow.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The one paging contract of the list endpoints, read from a request: items newest first by {@code
 * (created_at, key)} descending, the key (an id, or a definition's version) breaking ties; {@code
 * limit} items a page, 1 to {@value #MAX_LIMIT} ({@value #DEFAULT_LIMIT} when absent); {@code
 * cursor}, the previous page's {@code next}, continues after that page's last item ({@link
 * Cursor}); {@code next} is null on the last page. Keyset paging, so a page costs one index range
 * scan however deep it is, and rows written meanwhile never make later pages repeat or skip an
 * item.
 *
 * @param list what the list holds ("processes", "tasks"), named in its cursors
 * @param after where the page starts; null for the first page
 * @param <K> the type of the list's key
 */
record Page<K>(String list, int limit, Cursor<K> after) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /**
   * The page a request asks for, from its {@code limit} and {@code cursor} parameters; a 400 for a
   * bad value of either.
   *
   * @param parseKey reads a key from its text; throws {@link IllegalArgumentException} on any other
   */
  static <K> Page<K> of(Context ctx, String list, Function<String, K> parseKey) {
    return of(list, ctx.queryParam("limit"), ctx.queryParam("cursor"), parseKey);
  }

  /** The page {@code limit} and {@code cursor} (each null when absent) ask for. */
  static <K> Page<K> of(String list, String limit, String cursor, Function<String, K> parseKey) {
    return new Page<>(
        list,
        QueryParams.limit(limit, DEFAULT_LIMIT, MAX_LIMIT),
        cursor == null ? null : Cursor.decode(list, cursor, parseKey));
  }

  /** The {@code created_at} the page starts after; null for the first page. */
  Instant afterCreatedAt() {
    return after == null ? null : after.createdAt();
  }

  /** The key the page starts after, among items created at {@link #afterCreatedAt}. */
  K afterKey() {
    return after == null ? null : after.key();
  }

  /** How many rows to read: one more than the page holds, which tells whether another follows. */
  int fetch() {
    return limit + 1;
  }

  /**
   * The page of {@code fetched} (up to {@link #fetch} items, read in the list's order) and the
   * cursor of the next one.
   *
   * @param positionOf an item's {@code created_at} and key
   */
  <T> Slice<T> slice(List<T> fetched, Function<T, Cursor<K>> positionOf) {
    if (fetched.size() <= limit) return new Slice<>(fetched, null);
    List<T> items = fetched.subList(0, limit);
    return new Slice<>(items, positionOf.apply(items.getLast()).encode(list));
  }

  /** One page's items and the cursor of the page after it, null when there is none. */
  record Slice<T>(List<T> items, String next) {}
}
