package dev.podflow.store.task;

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
 * Reads a {@link Task} from a row with the {@code todolist} columns, by name. The one mapping of a
 * task: registered with jdbi for the DAOs and called directly by the hot path on its plain result
 * sets (it reads nothing from the {@link StatementContext}, which may be null). Stateless and
 * thread-safe.
 */
public final class TaskMapper implements RowMapper<Task> {
  public static final TaskMapper INSTANCE = new TaskMapper();

  private TaskMapper() {}

  @Override
  public Task map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Task(
        rs.getLong("id"),
        uuid(rs, "proc_inst_id"),
        rs.getString("activity_id"),
        rs.getString("orchestrator"),
        enumValue(rs, "status", TaskStatus.class),
        rs.getInt("priority"),
        instant(rs, "run_after"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        rs.getString("claimed_by"),
        uuid(rs, "claim_token"),
        instant(rs, "lease_expires_at"),
        instant(rs, "heartbeat_at"),
        json(rs, "input"),
        json(rs, "output"),
        rs.getString("last_error"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getString("assignee"),
        json(rs, "form"),
        enumValue(rs, "waiting_for", WaitingFor.class),
        json(rs, "checkpoint"),
        nullableLong(rs, "parent_task_id"),
        rs.getInt("pass"));
  }
}
