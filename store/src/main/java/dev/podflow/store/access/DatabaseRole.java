package dev.podflow.store.access;

/**
 * The database roles Podflow's parts act as (migration V15 creates them; the README's "Tenant
 * isolation in PostgreSQL" says what each may see). Each is a NOLOGIN role granted to the login
 * that migrated the database; a pool's connections take it with the start-up option {@code -c
 * role=…} ({@link dev.podflow.store.DatabaseConfig#withRole}): one login, one URL, and each pool
 * confined to its role. A pool with no role acts as the login itself, the tables' owner
 * (migrations, {@code ./podflow keys}, the queue's VACUUM).
 */
public enum DatabaseRole {
  /** The API's request handling: the rows of the tenant in {@link TenantScope}, nothing else. */
  API("podflow_api"),
  /** The pods: every tenant's instances, tasks, events and notifications. */
  POD("podflow_pod"),
  /**
   * Read-only, every tenant: the queue-depth gauge, the API's event feed and its key check (through
   * {@code podflow_api_key_for_check}).
   */
  METRICS("podflow_metrics"),
  /** The push sender: every tenant's notifications and device tokens. */
  NOTIFIER("podflow_notifier");

  private final String sqlName;

  DatabaseRole(String sqlName) {
    this.sqlName = sqlName;
  }

  /** The role's name in PostgreSQL. */
  public String sqlName() {
    return sqlName;
  }
}
