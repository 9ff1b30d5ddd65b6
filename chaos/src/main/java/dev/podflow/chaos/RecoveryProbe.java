package dev.podflow.chaos;

import dev.podflow.engine.Engine;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * After the chaos, proves that every live pod still works: each must claim some of a burst of tasks
 * it cannot miss. The burst is {@link #TASKS_PER_SLOT} tasks per pod slot, each sleeping {@link
 * #TASK_SLEEP}; a pod holds at most its slots at a time, so without one pod the others need more
 * than {@code TASKS_PER_SLOT} rounds of {@code TASK_SLEEP} (6 s) to drain it, while a working pod
 * is woken by NOTIFY or its 500 ms poll at once. A burst of no-op tasks proved nothing: the other
 * pods drained 40 of them in under a second, before a pod replaced just then had polled. The whole
 * burst must complete within {@link #TIMEOUT}.
 *
 * <p>The probe's instances belong to a definition of their own, apart from the run's workload and
 * its verification.
 */
final class RecoveryProbe {
  static final int TASKS_PER_SLOT = 3;
  static final Duration TASK_SLEEP = Duration.ofSeconds(2);
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final int START_TRIES = 5;

  /** What the probe found: live pods that claimed none of its tasks, whether it all completed. */
  record Outcome(int tasks, List<String> stalledPods, boolean completed) {

    /** The findings for the run's problems; none when every live pod worked. */
    List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (!stalledPods.isEmpty()) {
        problems.add(
            "pod(s) "
                + stalledPods
                + " claimed none of the probe's tasks: alive but not working (see their logs)");
      }
      if (!completed) {
        problems.add(
            "the recovery probe's "
                + tasks
                + " tasks did not all complete within "
                + TIMEOUT.toSeconds()
                + " s");
      }
      return problems;
    }
  }

  private final Jdbi jdbi;
  private final Engine engine;
  private final String runId;
  private final String definition;
  private final Consumer<String> say;

  RecoveryProbe(Jdbi jdbi, String runId, Consumer<String> say) {
    this.jdbi = jdbi;
    this.engine = Engine.inline(jdbi, OrchestratorRegistry.discover());
    this.runId = runId;
    this.definition = "chaos-" + runId + "-probe";
    this.say = say;
  }

  /** Publishes the probe's definition: one {@code sleep} activity. */
  void publish() {
    var probe = Json.object().put("id", definition).put("name", "Chaos probe of run " + runId);
    probe
        .putArray("activities")
        .addObject()
        .put("id", "hold")
        .put("orchestrator", "sleep")
        .putObject("config")
        .put("ms", TASK_SLEEP.toMillis());
    engine.catalog().publish(StartCommand.DEFAULT_TENANT, "chaos", probe);
  }

  /**
   * Starts the burst for the fleet's live pods of {@code slots} slots each once they are all up,
   * waits up to {@link #TIMEOUT} for it to complete, and names the pods, still live, that claimed
   * none of it.
   */
  Outcome run(PodFleet fleet, int slots) throws InterruptedException, IOException {
    // A pod replaced just before the probe must be up before it is asked to prove it works.
    fleet.awaitStarted(Duration.ofSeconds(60));
    List<String> livePods = fleet.liveIds();
    int tasks = TASKS_PER_SLOT * slots * livePods.size();
    say.accept(
        "recovery probe: "
            + tasks
            + " tasks of "
            + TASK_SLEEP.toSeconds()
            + " s at once for "
            + livePods.size()
            + " pods");
    ProcessStarter starter = engine.starter();
    for (int i = 1; i <= tasks; i++) start(starter, "chaos-" + runId + "-probe-" + i);
    boolean completed = awaitCompleted(tasks, TIMEOUT);
    List<String> claimers =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT DISTINCT e.payload->>'podId' FROM events e
                        JOIN bpm_proc_inst i ON i.id = e.proc_inst_id
                        WHERE i.proc_def_id = :definition AND e.type = 'task_claimed'""")
                    .bind("definition", definition)
                    .mapTo(String.class)
                    .list());
    List<String> stillLive = fleet.liveIds();
    List<String> stalled =
        livePods.stream().filter(p -> !claimers.contains(p) && stillLive.contains(p)).toList();
    say.accept("recovery probe done: pods that claimed nothing " + stalled);
    return new Outcome(tasks, stalled, completed);
  }

  /** The database is up again by now; a start may still meet a session the chaos terminated. */
  private void start(ProcessStarter starter, String key) throws InterruptedException {
    StartCommand command =
        new StartCommand(
            definition, Json.object(), key, "chaos-harness", StartCommand.DEFAULT_TENANT, null);
    for (int attempt = 1; ; attempt++) {
      try {
        starter.start(command);
        return;
      } catch (RuntimeException e) {
        if (attempt == START_TRIES) throw e;
        Thread.sleep(200L * attempt);
      }
    }
  }

  private boolean awaitCompleted(int tasks, Duration timeout) throws InterruptedException {
    long giveUp = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < giveUp) {
      long done =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT count(*) FROM bpm_proc_inst"
                              + " WHERE proc_def_id = :definition AND status = 'COMPLETED'")
                      .bind("definition", definition)
                      .mapTo(Long.class)
                      .one());
      if (done >= tasks) return true;
      Thread.sleep(250);
    }
    return false;
  }
}
