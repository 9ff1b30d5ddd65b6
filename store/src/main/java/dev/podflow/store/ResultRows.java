package dev.podflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Reads {@code todolist} and {@code bpm_proc_inst} rows from a JDBC result set by column name, for
 * the hot path's plain statements (see {@link NamedSql}); jdbi's reflective mappers do the same for
 * the DAOs. A column prefix reads a joined table's columns ({@code i_id}, {@code i_status}, …).
 */
final class ResultRows {
  private ResultRows() {}

  static Task task(ResultSet rs) throws SQLException {
    String waitingFor = rs.getString("waiting_for");
    return new Task(
        rs.getLong("id"),
        rs.getObject("proc_inst_id", UUID.class),
        rs.getString("activity_id"),
        rs.getString("orchestrator"),
        TaskStatus.valueOf(rs.getString("status")),
        rs.getInt("priority"),
        instant(rs, "run_after"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        rs.getString("claimed_by"),
        rs.getObject("claim_token", UUID.class),
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
        waitingFor == null ? null : WaitingFor.valueOf(waitingFor),
        json(rs, "checkpoint"),
        nullableLong(rs, "parent_task_id"),
        rs.getInt("pass"));
  }

  static ProcessInstance instance(ResultSet rs, String prefix) throws SQLException {
    return new ProcessInstance(
        rs.getObject(prefix + "id", UUID.class),
        rs.getString(prefix + "proc_def_id"),
        rs.getInt(prefix + "proc_def_version"),
        InstanceStatus.valueOf(rs.getString(prefix + "status")),
        json(rs, prefix + "input"),
        json(rs, prefix + "output"),
        rs.getString(prefix + "initiator"),
        rs.getString(prefix + "tenant_id"),
        rs.getString(prefix + "idempotency_key"),
        instant(rs, prefix + "created_at"),
        instant(rs, prefix + "updated_at"),
        instant(rs, prefix + "finished_at"),
        nullableLong(rs, prefix + "parent_task_id"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static JsonNode json(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : Json.parse(text);
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
