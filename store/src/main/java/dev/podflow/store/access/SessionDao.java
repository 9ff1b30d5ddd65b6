package dev.podflow.store.access;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The session's role, for {@link dev.podflow.store.Database#asOwner}. SQL lives in {@code
 * SessionDao/*.sql}; the tenant's setting is {@link TenantSessionPlugin}'s.
 */
public interface SessionDao {
  /** Acts as {@code role} from now on in this session; returns it. */
  @SqlQuery
  String sessionSetRole(@Bind("role") String role);

  /** Acts as the login again (RESET ROLE). */
  @SqlQuery
  String sessionResetRole();
}
