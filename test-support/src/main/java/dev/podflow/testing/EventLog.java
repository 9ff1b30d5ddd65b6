package dev.podflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventDao;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the {@code events} timeline holds, for assertions: the one way tests read events, from one
 * instance's history to the exactly-once checks of a run with many pods. Thread-safe; reads on each
 * call.
 */
public final class EventLog {
  private final TestDatabase db;

  public EventLog(TestDatabase db) {
    this.db = db;
  }

  /** Every event of an instance, oldest first. */
  public List<Event> of(UUID instance) {
    return db.database()
        .jdbi()
        .withExtension(EventDao.class, dao -> dao.eventListByInstance(instance, 0, 10_000));
  }

  /** An instance's events of {@code type}, oldest first. */
  public List<Event> of(UUID instance, String type) {
    return of(instance).stream().filter(e -> e.type().equals(type)).toList();
  }

  /** The types of an instance's events, oldest first. */
  public List<String> typesOf(UUID instance) {
    return of(instance).stream().map(Event::type).toList();
  }

  /** The payloads of an instance's events of {@code type}, oldest first. */
  public List<JsonNode> payloads(UUID instance, String type) {
    return of(instance, type).stream().map(Event::payload).toList();
  }

  /** The payload of the one event of {@code type} an instance has; fails if there are more. */
  public JsonNode payload(UUID instance, String type) {
    return single(payloads(instance, type), type + " event of " + instance);
  }

  /** The payloads of a task's events of {@code type}, oldest first. */
  public List<JsonNode> payloads(long taskId, String type) {
    return payloadsWhere(
        "task_id = :taskId AND type = :type", Map.of("taskId", taskId, "type", type));
  }

  /** The payload of the one event of {@code type} a task has; fails if there are more. */
  public JsonNode payload(long taskId, String type) {
    return single(payloads(taskId, type), type + " event of task " + taskId);
  }

  /** The payloads of every event of {@code type}, across instances, oldest first. */
  public List<JsonNode> payloads(String type) {
    return payloadsWhere("type = :type", Map.of("type", type));
  }

  /** The payload of the one event of {@code type} there is; fails if there are more. */
  public JsonNode payload(String type) {
    return single(payloads(type), type + " event");
  }

  /** How many events of {@code type} a task has. */
  public long count(long taskId, String type) {
    return payloads(taskId, type).size();
  }

  /** How many events of {@code type} an instance has. */
  public long count(UUID instance, String type) {
    return payloads(instance, type).size();
  }

  /** How many events there are, of every type and instance. */
  public long count() {
    return db.number("SELECT count(*) FROM events");
  }

  /** How many events of {@code type} there are, across instances. */
  public long count(String type) {
    return countWhere("type = :type", Map.of("type", type));
  }

  /** How many events of any of {@code types} there are, across instances. */
  public long countAnyOf(String... types) {
    return countWhere("type = ANY(:types)", Map.of("types", types));
  }

  /** How many events of any of {@code types} a task has. */
  public long countAnyOf(long taskId, String... types) {
    return countWhere(
        "task_id = :taskId AND type = ANY(:types)", Map.of("taskId", taskId, "types", types));
  }

  /** Tasks with more than one event of {@code type}: for "exactly once" checks. */
  public long tasksWithMoreThanOne(String type) {
    return number(
        "SELECT count(*) FROM (SELECT task_id FROM events WHERE type = :type"
            + " GROUP BY task_id HAVING count(*) > 1) repeated",
        type);
  }

  /** Instances with more than one event of {@code type}: for "exactly once" checks. */
  public long instancesWithMoreThanOne(String type) {
    return number(
        "SELECT count(*) FROM (SELECT proc_inst_id FROM events WHERE type = :type"
            + " GROUP BY proc_inst_id HAVING count(*) > 1) repeated",
        type);
  }

  /** Tasks in {@code todolist} that have no event of {@code type}, or more than one. */
  public long tasksWithoutExactlyOne(String type) {
    return number(
        "SELECT count(*) FROM todolist t LEFT JOIN (SELECT task_id, count(*) AS n FROM events"
            + " WHERE type = :type GROUP BY task_id) e ON e.task_id = t.id"
            + " WHERE coalesce(e.n, 0) <> 1",
        type);
  }

  /** {@code task_claimed} events naming another pod than the one that holds the task now. */
  public long claimsByAnotherPodThanTheHolder() {
    return db.number(
        "SELECT count(*) FROM events e JOIN todolist t ON t.id = e.task_id"
            + " WHERE e.type = 'task_claimed' AND e.payload ->> 'podId' <> t.claimed_by");
  }

  /** Events an instance got after its event of {@code type}, across instances. */
  public long writtenAfter(String type) {
    return number(
        "SELECT count(*) FROM events later JOIN events mark"
            + " ON mark.proc_inst_id = later.proc_inst_id AND mark.type = :type"
            + " WHERE later.id > mark.id",
        type);
  }

  /** Events whose instance is gone. */
  public long withoutInstance() {
    return db.number(
        "SELECT count(*) FROM events WHERE proc_inst_id NOT IN (SELECT id FROM bpm_proc_inst)");
  }

  /** How many transactions wrote the events of {@code type}: fewer than events when batched. */
  public long transactionsWriting(String type) {
    return number("SELECT count(DISTINCT xmin::text) FROM events WHERE type = :type", type);
  }

  private static JsonNode single(List<JsonNode> payloads, String what) {
    if (payloads.size() != 1) {
      throw new AssertionError("expected one " + what + ", found " + payloads.size());
    }
    return payloads.getFirst();
  }

  private List<JsonNode> payloadsWhere(String where, Map<String, ?> params) {
    return select(
        "SELECT payload FROM events WHERE " + where + " ORDER BY id", JsonNode.class, params);
  }

  private long countWhere(String where, Map<String, ?> params) {
    return number("SELECT count(*) FROM events WHERE " + where, params);
  }

  private long number(String sql, String type) {
    return number(sql, Map.of("type", type));
  }

  private long number(String sql, Map<String, ?> params) {
    return select(sql, Long.class, params).getFirst();
  }

  private <T> List<T> select(String sql, Class<T> rowType, Map<String, ?> params) {
    return db.database()
        .jdbi()
        .withHandle(h -> h.createQuery(sql).bindMap(params).mapTo(rowType).list());
  }
}
