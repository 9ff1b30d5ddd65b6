package dev.podflow.store.access;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The tenant the current thread acts for, read by {@link TenantSessionPlugin} whenever a connection
 * of an {@link DatabaseRole#API} pool is taken: the API binds it once per request (from the
 * authenticated principal) and PostgreSQL's row-level security narrows every statement to it. A
 * thread bound to no tenant sees no tenant's rows.
 */
public final class TenantScope {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private TenantScope() {}

  /** Binds {@code tenantId} to this thread until {@link #clear}; null clears. */
  public static void bind(String tenantId) {
    if (tenantId == null) CURRENT.remove();
    else CURRENT.set(tenantId);
  }

  public static void clear() {
    CURRENT.remove();
  }

  /** Runs {@code work} with {@code tenantId} bound, restoring what was bound before. */
  public static <T> T call(String tenantId, Supplier<T> work) {
    String before = CURRENT.get();
    bind(tenantId);
    try {
      return work.get();
    } finally {
      bind(before);
    }
  }

  /** The tenant bound to this thread. */
  public static Optional<String> current() {
    return Optional.ofNullable(CURRENT.get());
  }
}
