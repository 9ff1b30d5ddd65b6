package dev.podflow.bench;

import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.store.notify.Channel;
import java.time.Clock;
import java.util.List;

/** Definitions and pre-inserted work the scenarios share. */
final class Seed {
  /** One no-op activity: the queue-drain workload, a task per instance. */
  static final String NOOP = "bench-noop";

  /** Three no-op activities in a row: the end-to-end workload. */
  static final String THREE_STEPS = "bench-three-steps";

  private Seed() {}

  /**
   * Publishes the workloads' definitions in tenant {@code default}: the tenant of the bench's API
   * key and of the instances inserted in bulk below (bpm_proc_inst's default).
   */
  static void definitions(Database db) {
    DefinitionCatalog catalog = new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover());
    catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "bench",
        Json.parse(
            "{\"id\":\""
                + NOOP
                + "\",\"name\":\"bench no-op\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"));
    catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "bench",
        Json.parse(
            "{\"id\":\""
                + THREE_STEPS
                + "\",\"name\":\"bench 3 steps\",\"activities\":["
                + "{\"id\":\"one\",\"orchestrator\":\"noop\"},"
                + "{\"id\":\"two\",\"orchestrator\":\"noop\"},"
                + "{\"id\":\"three\",\"orchestrator\":\"noop\"}]}"));
  }

  /**
   * {@code n} running instances of {@link #NOOP}, each with its first task PENDING and due: what
   * {@code n} starts leave behind (their start events aside), inserted in bulk.
   */
  /** A key for the API's starts: a user of tenant {@code default}, as a client would have. */
  static String apiKey(Database db) {
    return new ApiKeys(db.jdbi(), Clock.systemUTC())
        .create("default", Role.USER, "bench", null, "bench")
        .wholeKey();
  }

  static void noopInstances(Database db, int n, String runAfter) {
    db.jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "CREATE TEMP TABLE seed_ids AS SELECT gen_random_uuid() AS id FROM generate_series(1, ?)",
                  n);
              h.execute(
                  "INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version) SELECT id, ?, 1 FROM seed_ids",
                  NOOP);
              h.execute(
                  "INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator,"
                      + " run_after) SELECT id, 'default', 'a', 'noop', "
                      + runAfter
                      + " FROM seed_ids");
              h.execute("DROP TABLE seed_ids");
            });
    analyze(db);
  }

  /** Wakes listening pods as a start would: tasks seeded in bulk send no notice of their own. */
  static void wakePods(Database db) {
    Notifier.inline(db.jdbi()).send(List.of(new Notifier.Notification(Channel.TASKS, "")));
  }

  /** {@code n} instances of {@link #NOOP} that completed a day ago, with their DONE tasks. */
  static void finishedInstances(Database db, int n) {
    db.jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "CREATE TEMP TABLE seed_ids AS SELECT gen_random_uuid() AS id FROM generate_series(1, ?)",
                  n);
              h.execute(
                  "INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status, created_at, finished_at)"
                      + " SELECT id, ?, 1, 'COMPLETED', now() - interval '1 day', now() - interval '1 day' FROM seed_ids",
                  NOOP);
              h.execute(
                  "INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, status, attempts,"
                      + " run_after, created_at, started_at, finished_at, output)"
                      + " SELECT id, 'default', 'a', 'noop', 'DONE', 1, now() - interval '1 day', now() - interval '1 day',"
                      + " now() - interval '1 day', now() - interval '1 day', '{}' FROM seed_ids");
              h.execute("DROP TABLE seed_ids");
            });
    analyze(db);
  }

  /** Agent {@code id} of tenant {@code default}, whose memories the memory scenario stores. */
  static void agent(Database db, String id) {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO agents (tenant_id, id, name) VALUES (?, ?, ?)",
                    StartCommand.DEFAULT_TENANT,
                    id,
                    "bench " + id));
  }

  static void analyze(Database db) {
    db.jdbi().useHandle(h -> h.execute("VACUUM ANALYZE"));
  }
}
