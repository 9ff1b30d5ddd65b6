package dev.podflow.store.access;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The session settings row-level security keys on. SQL lives in {@code SessionDao/*.sql}. */
public interface SessionDao {
  /** Sets {@code podflow.tenant} for the session ('' for none); returns it. */
  @SqlQuery
  String sessionSetTenant(@Bind("tenantId") String tenantId);

  /** Acts as {@code role} from now on in this session; returns it. */
  @SqlQuery
  String sessionSetRole(@Bind("role") String role);

  /** Acts as the login again (RESET ROLE). */
  @SqlQuery
  String sessionResetRole();
}
