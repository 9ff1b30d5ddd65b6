package dev.podflow.store.access;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.spi.JdbiPlugin;

/**
 * Installed on the {@link DatabaseRole#API} pool's Jdbi: every handle it opens first sets the
 * session's {@code podflow.tenant} to the tenant bound by {@link TenantScope} ('' when none), so
 * every statement on it (inside a transaction or not) sees that tenant's rows only. Each use of a
 * pooled connection sets it anew, so a tenant never carries over to the next request.
 */
public final class TenantSessionPlugin implements JdbiPlugin {
  @Override
  public Handle customizeHandle(Handle handle) {
    handle.attach(SessionDao.class).sessionSetTenant(TenantScope.current().orElse(""));
    return handle;
  }
}
