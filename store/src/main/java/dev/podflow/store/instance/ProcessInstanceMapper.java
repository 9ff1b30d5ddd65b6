package dev.podflow.store.instance;

import static dev.podflow.store.Columns.enumValue;
import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;
import static dev.podflow.store.Columns.nullableLong;
import static dev.podflow.store.Columns.uuid;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads a {@link ProcessInstance} from a row with the {@code bpm_proc_inst} columns, by name. The
 * one mapping of an instance: {@link #INSTANCE} is registered with jdbi for the DAOs and called
 * directly by the hot path; {@link #CLAIMED} reads the same columns prefixed {@code i_}, as the
 * claim returns them beside its task's. Reads nothing from the {@link StatementContext}, which may
 * be null. Immutable and thread-safe.
 */
public final class ProcessInstanceMapper implements RowMapper<ProcessInstance> {
  public static final ProcessInstanceMapper INSTANCE = new ProcessInstanceMapper("");

  /** The instance columns of the claim ({@code i_id}, {@code i_status}, …). */
  public static final ProcessInstanceMapper CLAIMED = new ProcessInstanceMapper("i_");

  // The column names, prefixed once here rather than on every row.
  private final String id;
  private final String procDefId;
  private final String procDefVersion;
  private final String status;
  private final String input;
  private final String output;
  private final String initiator;
  private final String tenantId;
  private final String idempotencyKey;
  private final String createdAt;
  private final String updatedAt;
  private final String finishedAt;
  private final String parentTaskId;

  private ProcessInstanceMapper(String prefix) {
    id = prefix + "id";
    procDefId = prefix + "proc_def_id";
    procDefVersion = prefix + "proc_def_version";
    status = prefix + "status";
    input = prefix + "input";
    output = prefix + "output";
    initiator = prefix + "initiator";
    tenantId = prefix + "tenant_id";
    idempotencyKey = prefix + "idempotency_key";
    createdAt = prefix + "created_at";
    updatedAt = prefix + "updated_at";
    finishedAt = prefix + "finished_at";
    parentTaskId = prefix + "parent_task_id";
  }

  @Override
  public ProcessInstance map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ProcessInstance(
        uuid(rs, id),
        rs.getString(procDefId),
        rs.getInt(procDefVersion),
        enumValue(rs, status, InstanceStatus.class),
        json(rs, input),
        json(rs, output),
        rs.getString(initiator),
        rs.getString(tenantId),
        rs.getString(idempotencyKey),
        instant(rs, createdAt),
        instant(rs, updatedAt),
        instant(rs, finishedAt),
        nullableLong(rs, parentTaskId));
  }
}
