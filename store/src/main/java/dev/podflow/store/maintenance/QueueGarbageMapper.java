package dev.podflow.store.maintenance;

import dev.podflow.store.maintenance.MaintenanceDao.QueueGarbage;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link QueueGarbage} (see {@code maintenanceQueueDeadRows.sql}). Thread-safe. */
public final class QueueGarbageMapper implements RowMapper<QueueGarbage> {
  public static final QueueGarbageMapper INSTANCE = new QueueGarbageMapper();

  private QueueGarbageMapper() {}

  @Override
  public QueueGarbage map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new QueueGarbage(rs.getLong("dead_rows"), rs.getBoolean("may_vacuum"));
  }
}
