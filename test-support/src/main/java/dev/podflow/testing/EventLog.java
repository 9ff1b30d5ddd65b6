package dev.podflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventDao;
import java.util.List;
import java.util.UUID;

/**
 * What the {@code events} timeline holds, for assertions: the one way tests read events.
 * Thread-safe; reads on each call.
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

  /** The types of an instance's events, oldest first. */
  public List<String> typesOf(UUID instance) {
    return of(instance).stream().map(Event::type).toList();
  }

  /** The payloads of an instance's events of {@code type}, oldest first. */
  public List<JsonNode> payloads(UUID instance, String type) {
    return of(instance).stream().filter(e -> e.type().equals(type)).map(Event::payload).toList();
  }

  /** The payload of the one event of {@code type} an instance has; fails if there are more. */
  public JsonNode payload(UUID instance, String type) {
    List<JsonNode> payloads = payloads(instance, type);
    if (payloads.size() != 1) {
      throw new AssertionError(
          "expected one " + type + " event of " + instance + ", found " + payloads.size());
    }
    return payloads.getFirst();
  }

  /** The payloads of a task's events of {@code type}, oldest first. */
  public List<JsonNode> payloads(long taskId, String type) {
    return db.database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT payload FROM events WHERE task_id = :taskId AND type = :type"
                            + " ORDER BY id")
                    .bind("taskId", taskId)
                    .bind("type", type)
                    .mapTo(JsonNode.class)
                    .list());
  }

  /** How many events of {@code type} a task has. */
  public long count(long taskId, String type) {
    return payloads(taskId, type).size();
  }

  /** How many events of {@code type} there are, across instances. */
  public long count(String type) {
    return db.database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM events WHERE type = :type")
                    .bind("type", type)
                    .mapTo(Long.class)
                    .one());
  }
}
