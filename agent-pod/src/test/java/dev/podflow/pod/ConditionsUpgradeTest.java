package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.FeelCondition;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The upgrade to FEEL conditions: a database filled by Podflow before it (migrated up to V6, a
 * definition with conditions of the first language, instances running on it) is migrated to the
 * latest version; the stored conditions are FEEL, and the running instances take the branches the
 * old conditions chose, on pods.
 */
class ConditionsUpgradeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Target → old condition → its FEEL translation: every construct of the old language. */
  private static final Map<String, List<String>> CONDITIONS = new LinkedHashMap<>();

  static {
    CONDITIONS.put(
        "and-not-equal",
        List.of(
            "output.score >= 0.8 && process.input.tier != 'trial'",
            "output.score >= 0.8 and (process.input.tier = \"trial\") != true"));
    CONDITIONS.put(
        "or-not",
        List.of(
            "output.score < 0.3 || (output.missing == null && !output.rejected)",
            "output.score < 0.3 or output.missing = null and (output.rejected = true) != true"));
    CONDITIONS.put("not-greater", List.of("!(output.score > 0.5)", "(output.score > 0.5) != true"));
    CONDITIONS.put(
        "index", List.of("output.items.0.name == \"first\"", "output.items[1].name = \"first\""));
    CONDITIONS.put(
        "dash-keyword",
        List.of(
            "output.a-b == 'dash' && output.if", "output.`a-b` = \"dash\" and output.`if` = true"));
    CONDITIONS.put(
        "escapes",
        List.of(
            "output.note == 'say \"hi\"\\n' || output.note == \"say \\\"hi\\\"\"",
            "output.note = (\"say \" + \"\\\"\" + \"hi\" + \"\\\"\" + \"\n\") or output.note ="
                + " (\"say \" + \"\\\"\" + \"hi\" + \"\\\"\" + \"\")"));
    CONDITIONS.put(
        "numbers",
        List.of(
            "output.n == 1e2 && output.n <= 100.0 && output.n > -1 && output.n >= 1E+1",
            "output.n = 100 and output.n <= 100.0 and output.n > -1 and output.n >= 10"));
    CONDITIONS.put("bare-missing", List.of("output.approved", "output.approved = true"));
    CONDITIONS.put(
        "literals",
        List.of(
            "(process.input.tier == 'gold') != false && true && null == output.missing",
            "(((process.input.tier = \"gold\") = true) = false) != true and true and null ="
                + " output.missing"));
  }

  private static JsonNode oldDefinition() {
    ObjectNode definition = Json.object().put("id", "legacy").put("name", "legacy");
    ArrayNode activities = definition.putArray("activities");
    ObjectNode score =
        activities.addObject().put("id", "score").put("name", "score").put("orchestrator", "noop");
    score.putObject("config");
    ArrayNode next = score.putArray("next");
    CONDITIONS.forEach(
        (to, condition) -> next.addObject().put("to", to).put("when", condition.getFirst()));
    next.addObject().put("to", "none").put("otherwise", true);
    score.put("maxAttempts", 3).put("priority", 0).put("timeoutSeconds", 3600);
    for (String to : CONDITIONS.keySet()) {
      activities.addObject().put("id", to).put("orchestrator", "noop").putArray("next");
    }
    activities.addObject().put("id", "none").put("orchestrator", "noop").putArray("next");
    return definition;
  }

  /** What Podflow before FEEL left behind: the version, an instance, its first task due. */
  private static UUID insertRunningInstance(TestDatabase db, JsonNode input) {
    UUID id = UUID.randomUUID();
    db.database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, input)"
                      + " VALUES (?, 'legacy', 1, ?::jsonb)",
                  id,
                  Json.write(input));
              h.execute(
                  "INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, input)"
                      + " VALUES (?, 'score', 'noop', ?::jsonb)",
                  id,
                  Json.write(input));
            });
    return id;
  }

  @Test
  void storedConditionsBecomeFeelAndRunningInstancesTakeTheirOldBranches() {
    TestDatabase db = TestDatabase.migratedUpTo("6");
    try {
      db.database()
          .jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO proc_def (id, version, name, definition)"
                          + " VALUES ('legacy', 1, 'legacy', ?::jsonb)",
                      Json.write(oldDefinition())));
      UUID gold =
          insertRunningInstance(
              db,
              Json.parse(
                  """
                  {"score": 0.9, "tier": "gold", "items": [{"name": "first"}], "a-b": "dash",
                   "if": true, "note": "say \\"hi\\"", "n": 100}"""));
      UUID trial =
          insertRunningInstance(
              db, Json.parse("{\"score\": 0.1, \"tier\": \"trial\", \"rejected\": true}"));
      UUID neither =
          insertRunningInstance(
              db, Json.parse("{\"score\": 0.6, \"tier\": \"silver\", \"rejected\": true}"));

      assertThat(db.database().migrate()).as("V7 and later").isGreaterThanOrEqualTo(1);

      JsonNode stored = Json.parse(db.text("SELECT definition::text FROM proc_def"));
      JsonNode next = stored.path("activities").get(0).path("next");
      int j = 0;
      for (List<String> condition : CONDITIONS.values()) {
        String feel = next.get(j++).path("when").asText();
        assertThat(feel).as(condition.getFirst()).isEqualTo(condition.get(1));
        FeelCondition.parse(feel);
      }
      assertThat(next.get(j)).isEqualTo(Json.parse("{\"to\": \"none\", \"otherwise\": true}"));
      assertThat(stored.path("activities").get(0).path("timeoutSeconds").asInt()).isEqualTo(3600);

      try (PodHarness h = new PodHarness(db)) {
        h.startPod(PodConfig.defaults("u1").withPollInterval(Duration.ofMillis(200)));
        Eventually.await(
            PATIENCE,
            "the instances started before the upgrade complete",
            () ->
                List.of(gold, trial, neither).stream()
                    .allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));
        assertThat(h.tasksOf(gold))
            .extracting(Task::activityId)
            .containsExactly(
                "score",
                "and-not-equal",
                "or-not",
                "index",
                "dash-keyword",
                "escapes",
                "numbers",
                "literals");
        assertThat(h.tasksOf(trial))
            .extracting(Task::activityId)
            .containsExactly("score", "or-not", "not-greater");
        assertThat(h.tasksOf(neither))
            .extracting(Task::activityId)
            .containsExactly("score", "none");
        assertThat(h.events.count("condition_failed"))
            .as("the translations decide every condition, missing fields included")
            .isZero();
      }
    } finally {
      db.database().close();
    }
  }
}
