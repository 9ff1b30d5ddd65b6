package dev.podflow.store.instance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Process instances ({@code bpm_proc_inst}). SQL lives in {@code InstanceDao/*.sql}. */
public interface InstanceDao {

  @SqlQuery
  Optional<ProcessInstance> instanceGet(@Bind("id") UUID id);

  @SqlQuery
  Optional<ProcessInstance> instanceGetByIdempotencyKey(
      @Bind("tenantId") String tenantId, @Bind("idempotencyKey") String idempotencyKey);

  /**
   * True when the instance was started from this definition id with this input (compared as jsonb).
   */
  @SqlQuery
  boolean instanceMatchesRequest(
      @Bind("id") UUID id, @Bind("procDefId") String procDefId, @Bind("input") JsonNode input);

  /**
   * Reads the instance and locks it until the transaction ends. Every step transition takes this
   * lock first, so two tasks of one instance finishing at once see each other's writes.
   */
  @SqlQuery
  Optional<ProcessInstance> instanceLock(@Bind("id") UUID id);

  /** Sets the status; a finished status also sets {@code finished_at} and the output. */
  @SqlUpdate
  int instanceUpdateStatus(
      @Bind("id") UUID id, @Bind("status") InstanceStatus status, @Bind("output") JsonNode output);

  /**
   * Makes a finished instance RUNNING again (retry by hand): {@code finished_at} and the output
   * cleared. Unlike {@link #instanceUpdateStatus}, which keeps the output of an unfinished status.
   */
  @SqlUpdate
  int instanceReopen(@Bind("id") UUID id);

  /** The unfinished sub-process instances started by tasks of this instance, oldest first. */
  @SqlQuery
  List<UUID> instanceListUnfinishedSubprocesses(@Bind("procInstId") UUID procInstId);

  /**
   * Up to {@code limit} instances the filter admits, newest first by {@code (created_at, id)}:
   * those after the position {@code (afterCreatedAt, afterId)} in that order, or from the newest
   * when {@code afterCreatedAt} is null.
   */
  @SqlQuery
  List<InstanceSummary> instanceList(
      @BindMethods InstanceFilter filter,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterId") UUID afterId,
      @Bind("limit") int limit);
}
