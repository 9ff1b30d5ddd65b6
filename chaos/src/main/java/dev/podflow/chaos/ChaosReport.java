package dev.podflow.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * The report of a run once it is judged: the one summary line (the {@link ChaosResult}'s), the
 * problems printed under it, and the Markdown summary in {@code --summary} with the details: the
 * setup, the starts, the instances per status, the injuries, the pods' exits and the problems.
 */
final class ChaosReport {
  private final ChaosOptions options;
  private final String runId;
  private final PrintStream out;
  private final Consumer<String> say;

  ChaosReport(ChaosOptions options, String runId, PrintStream out, Consumer<String> say) {
    this.options = options;
    this.runId = runId;
    this.out = out;
    this.say = say;
  }

  /**
   * Gives the judged result its summary line, prints the line and the problems, and writes the
   * Markdown summary; returns the result with its line.
   */
  ChaosResult publish(
      ChaosResult judged, ChaosPostgres postgres, PodFleet fleet, Workload workload, Verification v)
      throws IOException {
    ChaosResult result = withSummaryLine(judged, summaryLine(judged));
    out.println(result.summaryLine());
    for (String problem : result.problems()) out.println("chaos:   problem: " + problem);
    writeSummary(result, postgres, fleet, workload, v);
    return result;
  }

  private static String summaryLine(ChaosResult r) {
    return "chaos: "
        + r.pods()
        + " pods "
        + r.seconds()
        + "s started="
        + r.started()
        + " completed="
        + r.completed()
        + " dead_by_design="
        + r.deadByDesign()
        + " lost="
        + r.lost()
        + " duplicated="
        + r.duplicated()
        + " stuck="
        + r.stuck()
        + " kills="
        + r.kills()
        + " backend_terminations="
        + r.backendTerminations()
        + " pg_restarts="
        + r.pgRestarts()
        + " rescued="
        + r.rescued()
        + " verdict="
        + r.verdict();
  }

  private static ChaosResult withSummaryLine(ChaosResult r, String line) {
    return new ChaosResult(
        r.pods(),
        r.seconds(),
        r.started(),
        r.completed(),
        r.deadByDesign(),
        r.lost(),
        r.duplicated(),
        r.stuck(),
        r.kills(),
        r.backendTerminations(),
        r.backendsTerminated(),
        r.pgRestarts(),
        r.rescued(),
        r.podExits(),
        r.stalledPods(),
        r.sigtermExitCodes(),
        r.instancesByStatus(),
        r.problems(),
        r.pass(),
        line);
  }

  private void writeSummary(
      ChaosResult r, ChaosPostgres postgres, PodFleet fleet, Workload workload, Verification v)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Chaos run ").append(runId).append(" — ").append(r.verdict()).append("\n\n");
    md.append("```\n").append(r.summaryLine()).append("\n```\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "PostgreSQL", postgres.describe());
    row(
        md,
        "pods",
        r.pods()
            + " processes, "
            + options.slots()
            + " slot(s) each, lease 3 s, rescue every 1 s, poll 500 ms");
    row(md, "duration", r.seconds() + " s of starts and injuries, then drain");
    row(md, "rate", options.rate() + " processes/s (poison share " + options.poisonShare() + ")");
    row(md, "workload", "noop → sleep 50 ms → noop, maxAttempts " + Workload.MAX_ATTEMPTS);
    row(md, "seed", Long.toString(options.seed()));
    row(md, "starts issued", Long.toString(workload.issued()));
    row(md, "starts acknowledged", Long.toString(r.started()));
    row(
        md,
        "start attempts that failed and were retried",
        Long.toString(workload.failedAttempts()));
    row(
        md,
        "retried starts answered by the instance an earlier try committed",
        Long.toString(workload.replays()));
    row(md, "starts given up (never acknowledged)", Long.toString(workload.unacknowledged()));
    row(md, "instances without an acknowledged start", Long.toString(v.unacknowledgedInstances()));
    row(md, "instances by status", v.instancesByStatus().toString());
    row(md, "completed", Long.toString(r.completed()));
    row(md, "dead by design (poison)", Long.toString(r.deadByDesign()));
    row(md, "lost", Long.toString(r.lost()));
    row(md, "duplicated", Long.toString(r.duplicated()));
    row(md, "stuck tasks", Long.toString(r.stuck()));
    row(md, "pods SIGKILLed", Integer.toString(r.kills()));
    row(
        md,
        "pg_terminate_backend rounds (backends)",
        r.backendTerminations() + " (" + r.backendsTerminated() + ")");
    row(md, "PostgreSQL restarts", r.pgRestarts() + " (" + options.restartMode() + ")");
    row(md, "leases rescued (task_lease_expired)", Long.toString(r.rescued()));
    row(md, "tasks handed back (task_released)", Long.toString(v.released()));
    row(
        md,
        "tasks that needed more than one attempt (most attempts)",
        v.retried() + " (" + v.maxAttempts() + ")");
    row(md, "pods that exited on their own (replaced)", Integer.toString(r.podExits()));
    row(md, "pods that did not work after the chaos", r.stalledPods().toString());
    row(md, "exit codes on SIGTERM", r.sigtermExitCodes().toString());
    row(md, "pod processes started", Integer.toString(fleet.everStarted().size()));
    row(md, "logs", options.logDir().toAbsolutePath().toString());
    if (!fleet.unexpectedExits().isEmpty()) {
      md.append("\n## Pods that exited on their own\n\n");
      for (PodFleet.Exit e : fleet.unexpectedExits()) {
        md.append("- ")
            .append(e.podId())
            .append(": exit ")
            .append(e.exitCode())
            .append(" — `")
            .append(PodFleet.lastLine(e.log()).replace('`', '\''))
            .append("`\n");
      }
    }
    md.append("\n## Problems\n\n");
    if (r.problems().isEmpty()) md.append("None.\n");
    for (String p : r.problems()) md.append("- ").append(p).append('\n');
    Files.createDirectories(options.summaryFile().toAbsolutePath().getParent());
    Files.writeString(options.summaryFile(), md.toString());
    say.accept("summary written to " + options.summaryFile());
  }

  private static void row(StringBuilder md, String name, String value) {
    md.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }
}
