package dev.podflow.store.maintenance;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Background upkeep shared by all pods. SQL lives in {@code MaintenanceDao/*.sql}. */
public interface MaintenanceDao {

  /** True when {@code everySeconds} have passed since the named pass last ran anywhere. */
  @SqlQuery
  boolean maintenanceRunIsDue(@Bind("name") String name, @Bind("everySeconds") double everySeconds);

  /**
   * Takes the next run of the named pass if {@code everySeconds} have passed since the last one
   * anywhere in the cluster; returns the name when this caller got it, empty otherwise.
   */
  @SqlQuery
  Optional<String> maintenanceRunClaim(
      @Bind("name") String name,
      @Bind("everySeconds") double everySeconds,
      @Bind("podId") String podId);

  /**
   * Deletes up to {@code limit} instances that finished more than {@code retentionSeconds} ago,
   * with their tasks, events and notifications; returns how many instances went.
   */
  @SqlQuery
  int maintenancePruneFinishedInstances(
      @Bind("retentionSeconds") double retentionSeconds, @Bind("limit") int limit);

  /** Dead row versions in {@code todolist}, and whether this role may vacuum it. */
  record QueueGarbage(long deadRows, boolean mayVacuum) {}

  @SqlQuery
  QueueGarbage maintenanceQueueDeadRows();

  /** VACUUMs {@code todolist}; must run on a handle outside any transaction. */
  @SqlUpdate
  void maintenanceVacuumQueue();
}
