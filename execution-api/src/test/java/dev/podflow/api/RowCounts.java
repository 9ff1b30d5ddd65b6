package dev.podflow.api;

import dev.podflow.store.Database;

/**
 * How many rows the tables a request could write hold; equal before and after = nothing written.
 */
record RowCounts(long definitions, long instances, long tasks, long events, long agents) {
  static RowCounts of(Database db) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT (SELECT count(*) FROM proc_def)      AS definitions,
                               (SELECT count(*) FROM bpm_proc_inst) AS instances,
                               (SELECT count(*) FROM todolist)      AS tasks,
                               (SELECT count(*) FROM events)        AS events,
                               (SELECT count(*) FROM agents)        AS agents
                        """)
                    .map(
                        (rs, ctx) ->
                            new RowCounts(
                                rs.getLong("definitions"),
                                rs.getLong("instances"),
                                rs.getLong("tasks"),
                                rs.getLong("events"),
                                rs.getLong("agents")))
                    .one());
  }
}
