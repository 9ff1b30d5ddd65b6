package dev.podflow.chaos;

import dev.podflow.chaos.Workload.Acked;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * What the database says after a chaos run, limited to the run's own two definitions so an existing
 * database with other data can be used.
 *
 * @param instancesByStatus the run's instances per status
 * @param completed work instances COMPLETED with exactly one DONE task per activity
 * @param deadByDesign poison instances in ERROR (their orchestrator is unknown)
 * @param lost acknowledged starts whose instance is missing or did not end as designed, plus
 *     unacknowledged instances that did not end as designed
 * @param duplicated tasks completed more than once + activities queued more than once in one
 *     instance + instances completed more than once
 * @param stuck tasks left PENDING, IN_PROGRESS, FAILED or WAITING
 * @param rescued {@code task_lease_expired} events
 * @param released {@code task_released} events (handed back by a stopping pod)
 * @param retried tasks that needed more than one attempt
 * @param maxAttempts the most attempts any task needed
 * @param unacknowledgedInstances instances in the database whose start was never answered
 * @param problems the first few concrete findings, for the summary
 */
record Verification(
    Map<String, Long> instancesByStatus,
    long completed,
    long deadByDesign,
    long lost,
    long duplicated,
    long stuck,
    long rescued,
    long released,
    long retried,
    long maxAttempts,
    long unacknowledgedInstances,
    List<String> problems) {

  private static final int MAX_PROBLEMS = 20;

  static Verification of(
      Jdbi jdbi, String workDefinition, String poisonDefinition, Map<String, Acked> acked) {
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        h -> verify(h, workDefinition, poisonDefinition, acked));
  }

  private static Verification verify(
      Handle h, String work, String poison, Map<String, Acked> acked) {
    List<String> problems = new ArrayList<>();
    Map<String, Row> byKey = new HashMap<>();
    Map<String, Long> byStatus = new TreeMap<>();
    h.createQuery(
            """
            SELECT i.idempotency_key, i.id, i.proc_def_id, i.status,
                   (SELECT count(*) FROM todolist t WHERE t.proc_inst_id = i.id AND t.status = 'DONE') AS done
            FROM bpm_proc_inst i
            WHERE i.proc_def_id IN (:work, :poison)""")
        .bind("work", work)
        .bind("poison", poison)
        .map(
            (rs, ctx) ->
                new Row(
                    rs.getString(1),
                    rs.getObject(2, UUID.class),
                    rs.getString(3).equals(poison),
                    rs.getString(4),
                    rs.getLong(5)))
        .forEach(
            row -> {
              byKey.put(row.key, row);
              byStatus.merge(row.status, 1L, Long::sum);
            });

    long lost = 0;
    long completed = 0;
    long deadByDesign = 0;
    for (Map.Entry<String, Acked> e : acked.entrySet()) {
      Row row = byKey.get(e.getKey());
      if (row == null) {
        lost++;
        note(problems, "acknowledged start " + e.getKey() + " has no instance in the database");
      } else if (!row.id.equals(e.getValue().instanceId())) {
        lost++;
        note(
            problems,
            "key "
                + e.getKey()
                + " was answered with "
                + e.getValue().instanceId()
                + " but the"
                + " database holds "
                + row.id);
      }
    }
    long unacknowledged = 0;
    for (Row row : byKey.values()) {
      if (!acked.containsKey(row.key)) unacknowledged++;
      if (row.poison) {
        if (row.status.equals("ERROR")) {
          deadByDesign++;
        } else {
          lost++;
          note(problems, "poison instance " + row.id + " ended " + row.status + ", not ERROR");
        }
      } else if (row.status.equals("COMPLETED") && row.done == Workload.WORK_ACTIVITIES) {
        completed++;
      } else {
        lost++;
        note(
            problems,
            "instance "
                + row.id
                + " ("
                + row.key
                + ") is "
                + row.status
                + " with "
                + row.done
                + " of "
                + Workload.WORK_ACTIVITIES
                + " tasks DONE");
      }
    }

    long completedTwice =
        count(
            h,
            """
            SELECT count(*) FROM (
              SELECT e.task_id FROM events e JOIN bpm_proc_inst i ON i.id = e.proc_inst_id
              WHERE i.proc_def_id IN (:work, :poison) AND e.type = 'task_completed'
              GROUP BY e.task_id HAVING count(*) > 1) twice""",
            work,
            poison);
    long queuedTwice =
        count(
            h,
            """
            SELECT count(*) FROM (
              SELECT t.proc_inst_id, t.activity_id FROM todolist t
              JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
              WHERE i.proc_def_id IN (:work, :poison)
              GROUP BY t.proc_inst_id, t.activity_id HAVING count(*) > 1) twice""",
            work,
            poison);
    long finishedTwice =
        count(
            h,
            """
            SELECT count(*) FROM (
              SELECT e.proc_inst_id FROM events e JOIN bpm_proc_inst i ON i.id = e.proc_inst_id
              WHERE i.proc_def_id IN (:work, :poison)
                AND e.type IN ('process_completed', 'process_failed')
              GROUP BY e.proc_inst_id HAVING count(*) > 1) twice""",
            work,
            poison);
    if (completedTwice > 0) note(problems, completedTwice + " task(s) completed more than once");
    if (queuedTwice > 0) note(problems, queuedTwice + " activity(ies) queued twice in an instance");
    if (finishedTwice > 0) note(problems, finishedTwice + " instance(s) finished more than once");

    long stuck =
        count(
            h,
            """
            SELECT count(*) FROM todolist t JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
            WHERE i.proc_def_id IN (:work, :poison)
              AND t.status IN ('PENDING', 'IN_PROGRESS', 'FAILED', 'WAITING')""",
            work,
            poison);
    if (stuck > 0) {
      h.createQuery(
              """
              SELECT t.id, t.status, t.attempts, t.claimed_by, t.last_error
              FROM todolist t JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
              WHERE i.proc_def_id IN (:work, :poison)
                AND t.status IN ('PENDING', 'IN_PROGRESS', 'FAILED', 'WAITING')
              ORDER BY t.id LIMIT 5""")
          .bind("work", work)
          .bind("poison", poison)
          .map(
              (rs, ctx) ->
                  "task "
                      + rs.getLong(1)
                      + " left "
                      + rs.getString(2)
                      + " after "
                      + rs.getInt(3)
                      + " attempt(s), claimed by "
                      + rs.getString(4)
                      + (rs.getString(5) == null ? "" : ", last error: " + rs.getString(5)))
          .forEach(s -> note(problems, s));
    }
    long rescued = events(h, "task_lease_expired", work, poison);
    long released = events(h, "task_released", work, poison);
    long retried =
        count(
            h,
            """
            SELECT count(*) FROM todolist t JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
            WHERE i.proc_def_id IN (:work, :poison) AND t.attempts > 1""",
            work,
            poison);
    long maxAttempts =
        count(
            h,
            """
            SELECT coalesce(max(t.attempts), 0) FROM todolist t
            JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
            WHERE i.proc_def_id IN (:work, :poison)""",
            work,
            poison);
    return new Verification(
        byStatus,
        completed,
        deadByDesign,
        lost,
        completedTwice + queuedTwice + finishedTwice,
        stuck,
        rescued,
        released,
        retried,
        maxAttempts,
        unacknowledged,
        List.copyOf(problems));
  }

  private static long events(Handle h, String type, String work, String poison) {
    return h.createQuery(
            """
            SELECT count(*) FROM events e JOIN bpm_proc_inst i ON i.id = e.proc_inst_id
            WHERE i.proc_def_id IN (:work, :poison) AND e.type = :type""")
        .bind("work", work)
        .bind("poison", poison)
        .bind("type", type)
        .mapTo(Long.class)
        .one();
  }

  private static long count(Handle h, String sql, String work, String poison) {
    return h.createQuery(sql).bind("work", work).bind("poison", poison).mapTo(Long.class).one();
  }

  private static void note(List<String> problems, String problem) {
    if (problems.size() < MAX_PROBLEMS) problems.add(problem);
  }

  private record Row(String key, UUID id, boolean poison, String status, long done) {}
}
