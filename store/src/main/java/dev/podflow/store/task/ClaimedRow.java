package dev.podflow.store.task;

import dev.podflow.store.instance.ProcessInstance;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A task just claimed and its instance, as {@link TaskDao#taskClaimNextWithInstance} reads them.
 */
public record ClaimedRow(Task task, ProcessInstance instance) {

  /** Task columns as they are, instance columns prefixed {@code i_}. */
  public static final class Mapper implements RowMapper<ClaimedRow> {
    private final RowMapper<Task> tasks = ConstructorMapper.of(Task.class);
    private final RowMapper<ProcessInstance> instances =
        ConstructorMapper.of(ProcessInstance.class, "i_");

    @Override
    public ClaimedRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new ClaimedRow(tasks.map(rs, ctx), instances.map(rs, ctx));
    }
  }
}
