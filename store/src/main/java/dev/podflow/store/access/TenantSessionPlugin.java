package dev.podflow.store.access;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.postgresql.PGConnection;

/**
 * Installed on the {@link DatabaseRole#API} pool's Jdbi: every handle it opens acts for the tenant
 * bound by {@link TenantScope} ('' when none), so every statement on it (inside a transaction or
 * not) sees that tenant's rows only.
 *
 * <p>The tenant is the session setting {@code podflow.tenant}. Setting it is a round trip, which
 * measurably slowed the API when made for every handle; so the plugin remembers, per physical
 * connection, the tenant it last set there (set outside any transaction, so no rollback undoes it,
 * and nothing else sets it), and sets it only when the connection was last set for another. A
 * tenant never carries over to a request of another: the setting is compared at every handle.
 * Straight to PostgreSQL only: behind a transaction pooler {@link TenantTransactionPlugin} sets it
 * per transaction instead.
 */
public final class TenantSessionPlugin implements JdbiPlugin {
  /**
   * The statement, read once: attaching a SQL object for it builds the object's metadata anew on
   * every handle, which a profile of the API at 500 starts/s found in a sixth of its samples.
   */
  private static final String SET_TENANT =
      ClasspathSqlLocator.removingComments().locate(TenantSessionPlugin.class, "sessionSetTenant");

  /** The tenant each pooled connection's session was last set to, by its physical connection. */
  private final Map<Connection, String> sessionTenants =
      Collections.synchronizedMap(new WeakHashMap<>());

  @Override
  public Handle customizeHandle(Handle handle) throws SQLException {
    String tenant = TenantScope.current().orElse("");
    Connection physical = (Connection) handle.getConnection().unwrap(PGConnection.class);
    if (Objects.equals(sessionTenants.get(physical), tenant)) return handle;
    sessionTenants.remove(physical);
    handle.createQuery(SET_TENANT).bind("tenantId", tenant).mapTo(String.class).one();
    sessionTenants.put(physical, tenant);
    return handle;
  }
}
