package dev.podflow.chaos;

import dev.podflow.store.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The chaos harness: proves "nothing lost, nothing done twice" under injuries.
 *
 * <p>It runs {@code --pods} pod processes ({@code Podflow pod} JVMs) against one PostgreSQL and a
 * steady stream of processes while it SIGKILLs pods, terminates every backend and restarts
 * PostgreSQL. Then it stops injuring, lets the pods drain, sends a {@link RecoveryProbe} burst that
 * every live pod must take part in (pods that never recovered would not), SIGTERMs the pods and
 * verifies from the database: every acknowledged process completed (poison ones ended in ERROR, by
 * design), no task completed twice, no task left behind. It prints one summary line, writes a
 * Markdown summary and exits 0 on PASS, 1 on FAIL.
 */
public final class ChaosHarness {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_UNEXPECTED_EXITS = 25;

  private final ChaosOptions options;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger terminations = new AtomicInteger();
  private final AtomicLong backendsTerminated = new AtomicLong();
  private final AtomicInteger restarts = new AtomicInteger();
  private final AtomicReference<String> abortReason = new AtomicReference<>();
  private final List<String> problems = new ArrayList<>();
  private volatile ChaosPostgres postgres;
  private volatile PodFleet fleet;
  private volatile boolean finished;

  private ChaosHarness(ChaosOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.print(ChaosOptions.USAGE);
        return;
      }
    }
    Path workDir =
        Files.isRegularFile(Path.of("chaos", "pom.xml"))
            ? Path.of("chaos", "target")
            : Path.of("target");
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args, workDir);
    } catch (IllegalArgumentException e) {
      System.err.print("chaos: " + e.getMessage() + "\n\n" + ChaosOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      Files.createDirectories(options.logDir());
    } catch (IOException e) {
      System.err.println("chaos: cannot create " + options.logDir() + ": " + e.getMessage());
      System.exit(2);
    }
    // Library logs (pool, driver, embedded PostgreSQL) go to harness.log, not between the lines
    // the harness prints. Set before anything touches SLF4J.
    System.setProperty(
        "chaos.harness.log", options.logDir().resolve("harness.log").toAbsolutePath().toString());
    System.setProperty("logback.configurationFile", "chaos-logback.xml");
    ChaosHarness harness = new ChaosHarness(options, System.out);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(harness::emergencyStop, "chaos-emergency-stop"));
    ChaosResult result;
    try {
      result = harness.execute();
    } catch (Exception e) {
      System.err.println("chaos: the harness itself failed: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.exit(result.pass() ? 0 : 1);
  }

  /** Runs the harness in this JVM; pods are separate processes on this JVM's class path. */
  public static ChaosResult run(ChaosOptions options) throws Exception {
    return run(options, System.out);
  }

  public static ChaosResult run(ChaosOptions options, PrintStream out) throws Exception {
    return new ChaosHarness(options, out).execute();
  }

  private ChaosResult execute() throws Exception {
    Files.createDirectories(options.logDir());
    removeOldPodLogs();
    String runId =
        LocalDateTime.now().format(RUN_ID)
            + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 4);
    Random random = new Random(options.seed());
    say(
        "run "
            + runId
            + ": "
            + options.pods()
            + " pods, "
            + options.duration().toSeconds()
            + "s at "
            + options.rate()
            + "/s; kill every "
            + every(options.killEvery())
            + ", terminate backends every "
            + every(options.terminateEvery())
            + ", restart PostgreSQL every "
            + (options.restarts()
                ? every(options.restartEvery()) + " (" + options.restartMode() + ")"
                : "never")
            + "; seed "
            + options.seed()
            + "; logs in "
            + options.logDir());
    boolean pass = false;
    Database database = null;
    try {
      postgres =
          options.embedded()
              ? ChaosPostgres.embedded(
                  options.workDir().resolve("chaos-pgdata"),
                  options.restartMode(),
                  options.logDir().resolve("postgres.log"))
              : ChaosPostgres.external(
                  options.databaseUrl(), options.restartCommand(), options.logDir());
      say("PostgreSQL: " + postgres.describe());
      postgres.awaitUp(Duration.ofSeconds(60));
      database = Database.connect(postgres.config().withPool(8, "podflow-chaos"));
      database.migrate();
      Workload workload =
          new Workload(
              database.jdbi(), runId, options.rate(), options.poisonShare(), random, this::say);
      workload.publishDefinitions(database.jdbi());
      RecoveryProbe probe = new RecoveryProbe(database.jdbi(), runId);
      probe.publish();
      fleet =
          new PodFleet(
              postgres.url(),
              options.slots(),
              options.podJavaOptions(),
              System.getProperty("java.class.path"),
              options.logDir(),
              this::say);
      for (int i = 0; i < options.pods(); i++) fleet.startOne();
      awaitPodsStarted(Duration.ofSeconds(90));

      // Injuries are scheduled just before the clock starts, so the one due at the very end
      // (e.g. the 40th kill of 10 minutes at 15 s) is still made.
      ScheduledExecutorService injector = scheduleInjuries(random);
      long chaosStart = System.nanoTime();
      workload.startPacing();
      ScheduledExecutorService supervisor = superviseFleet();
      long chaosEnd = chaosStart + options.duration().toNanos();
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      while (System.nanoTime() < chaosEnd && abortReason.get() == null) {
        Thread.sleep(Math.min(250, Math.max(1, (chaosEnd - System.nanoTime()) / 1_000_000)));
        if (System.nanoTime() >= nextProgress) {
          progress(database, workload, "progress");
          nextProgress += PROGRESS_EVERY.toNanos();
        }
      }
      say("injuries stop; waiting for the one in progress");
      injector.shutdown();
      if (!injector.awaitTermination(5, TimeUnit.MINUTES)) {
        abort("an injury did not finish within 5 minutes");
      }
      postgres.awaitUp(Duration.ofMinutes(2));
      if (!workload.stopPacing(Duration.ofMinutes(4))) {
        say("some starts were still retrying after 4 minutes");
      }
      say(
          "starts stopped: "
              + workload.ackedCount()
              + " acknowledged of "
              + workload.issued()
              + " issued; draining");
      boolean drained = drain(database, workload, options.drainTimeout());

      List<String> stalled = List.of();
      if (drained && abortReason.get() == null) {
        // A pod replaced just before the probe must be up before it is asked to prove it works.
        awaitPodsStarted(Duration.ofSeconds(60));
        List<String> probed = fleet.liveIds();
        say(
            "recovery probe: "
                + RecoveryProbe.TASKS_PER_SLOT * options.slots() * probed.size()
                + " tasks of "
                + RecoveryProbe.TASK_SLEEP.toSeconds()
                + " s at once for "
                + probed.size()
                + " pods");
        RecoveryProbe.Outcome outcome = probe.run(probed, options.slots(), PROBE_TIMEOUT);
        List<String> stillLive = fleet.liveIds();
        stalled = outcome.podsThatClaimedNothing().stream().filter(stillLive::contains).toList();
        if (!stalled.isEmpty()) {
          problems.add(
              "pod(s) "
                  + stalled
                  + " claimed none of the probe's tasks: alive but not working (see their logs)");
        }
        if (!outcome.completed()) {
          problems.add(
              "the recovery probe's "
                  + outcome.tasks()
                  + " tasks did not all complete within "
                  + PROBE_TIMEOUT.toSeconds()
                  + " s");
        }
        say("recovery probe done: pods that claimed nothing " + stalled);
      }
      supervisor.shutdownNow();
      supervisor.awaitTermination(30, TimeUnit.SECONDS);
      say("SIGTERM to " + fleet.liveIds().size() + " pods");
      Map<String, Integer> exitCodes = fleet.stopAll(60);
      exitCodes.forEach(
          (pod, code) -> {
            if (code != 0) problems.add("pod " + pod + " exited " + code + " on SIGTERM");
          });

      Verification v =
          Verification.of(
              database.jdbi(),
              workload.workDefinition(),
              workload.poisonDefinition(),
              workload.acked());
      problems.addAll(v.problems());
      if (workload.keyConflicts() > 0) {
        problems.add(workload.keyConflicts() + " start(s) hit an Idempotency-Key conflict");
      }
      if (abortReason.get() != null) problems.add("run aborted: " + abortReason.get());
      if (!drained) problems.add("the pods did not drain the work in time");
      long started = workload.ackedCount();
      pass =
          started > 0
              && v.lost() == 0
              && v.duplicated() == 0
              && v.stuck() == 0
              && stalled.isEmpty()
              && workload.keyConflicts() == 0
              && abortReason.get() == null
              && exitCodes.values().stream().allMatch(c -> c == 0);
      ChaosResult result =
          new ChaosResult(
              options.pods(),
              options.duration().toSeconds(),
              started,
              v.completed(),
              v.deadByDesign(),
              v.lost(),
              v.duplicated(),
              v.stuck(),
              fleet.kills(),
              terminations.get(),
              backendsTerminated.get(),
              restarts.get(),
              v.rescued(),
              fleet.unexpectedExits().size(),
              stalled,
              exitCodes,
              v.instancesByStatus(),
              List.copyOf(problems),
              pass,
              null);
      String line = summaryLine(result);
      result = withSummaryLine(result, line);
      out.println(line);
      for (String problem : result.problems()) out.println("chaos:   problem: " + problem);
      writeSummary(result, runId, workload, v);
      return result;
    } finally {
      finished = true;
      if (fleet != null) fleet.close();
      if (database != null) database.close();
      if (postgres != null) {
        postgres.close();
        postgres.cleanUp(!pass || options.keepData());
      }
    }
  }

  private ScheduledExecutorService scheduleInjuries(Random random) {
    ScheduledExecutorService injector =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chaos-injector").factory());
    if (!options.killEvery().isZero()) {
      every(
          injector, options.killEvery(), () -> say("kill: " + fleet.killRandomAndReplace(random)));
    }
    if (!options.terminateEvery().isZero()) {
      every(
          injector,
          options.terminateEvery(),
          () -> {
            int n = postgres.terminateBackends();
            terminations.incrementAndGet();
            backendsTerminated.addAndGet(n);
            say("pg_terminate_backend: " + n + " backends terminated");
          });
    }
    if (options.restarts()) {
      every(
          injector,
          options.restartEvery(),
          () -> {
            long t0 = System.nanoTime();
            try {
              postgres.restart(options.pgDowntime());
            } catch (Exception e) {
              abort("PostgreSQL did not come back after a restart: " + e.getMessage());
              throw e;
            }
            restarts.incrementAndGet();
            say(
                "PostgreSQL restarted ("
                    + options.restartMode()
                    + "), down for "
                    + (System.nanoTime() - t0) / 1_000_000
                    + " ms");
          });
    } else if (!options.restartEvery().isZero()) {
      say("PostgreSQL restarts skipped: --database-url without --restart-command");
    }
    return injector;
  }

  /** An injury that fails is reported and tried again at its next turn. */
  private void every(ScheduledExecutorService injector, Duration interval, Injury injury) {
    injector.scheduleAtFixedRate(
        () -> {
          if (abortReason.get() != null) return;
          try {
            injury.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            say("injury failed: " + e);
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private ScheduledExecutorService superviseFleet() {
    ScheduledExecutorService supervisor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("chaos-supervisor").factory());
    supervisor.scheduleWithFixedDelay(
        () -> {
          try {
            fleet.superviseOnce();
            if (fleet.unexpectedExits().size() > MAX_UNEXPECTED_EXITS) {
              abort("more than " + MAX_UNEXPECTED_EXITS + " pods exited on their own");
            }
          } catch (RuntimeException e) {
            say("supervisor: " + e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    return supervisor;
  }

  private void awaitPodsStarted(Duration timeout) throws InterruptedException, IOException {
    long giveUp = System.nanoTime() + timeout.toNanos();
    List<String> ids = fleet.liveIds();
    while (System.nanoTime() < giveUp) {
      List<String> waiting = new ArrayList<>();
      for (String id : ids) {
        Path log = options.logDir().resolve(id + ".log");
        String text = Files.exists(log) ? Files.readString(log) : "";
        // AgentPod logs "[pod …] started: …", the launcher then "pod … serving /healthz …"
        if (!text.contains("] started:") && !text.contains("serving /healthz")) waiting.add(id);
      }
      if (waiting.isEmpty()) {
        say(ids.size() + " pods started");
        return;
      }
      if (fleet.liveIds().size() < ids.size() || fleet.superviseOnce() > 0) {
        throw new IllegalStateException(
            "a pod exited during start-up: see " + options.logDir() + " (" + waiting + ")");
      }
      Thread.sleep(200);
    }
    say("pods not all started after " + timeout.toSeconds() + "s; going on");
  }

  /** Waits until the run has no unfinished instance or task; false on timeout. */
  private boolean drain(Database database, Workload workload, Duration timeout)
      throws InterruptedException {
    long giveUp = System.nanoTime() + timeout.toNanos();
    long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
    while (true) {
      try {
        long open =
            database
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                """
                                SELECT (SELECT count(*) FROM bpm_proc_inst
                                        WHERE proc_def_id IN (:work, :poison)
                                          AND status IN ('RUNNING', 'WAITING'))
                                     + (SELECT count(*) FROM todolist t
                                        JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
                                        WHERE i.proc_def_id IN (:work, :poison)
                                          AND t.status IN ('PENDING', 'IN_PROGRESS', 'FAILED',
                                                           'WAITING'))""")
                            .bind("work", workload.workDefinition())
                            .bind("poison", workload.poisonDefinition())
                            .mapTo(Long.class)
                            .one());
        if (open == 0) {
          say("drained");
          return true;
        }
      } catch (RuntimeException e) {
        say("drain check failed: " + e.getMessage());
      }
      if (System.nanoTime() > giveUp) {
        say("not drained after " + timeout.toSeconds() + "s");
        return false;
      }
      if (System.nanoTime() >= nextProgress) {
        progress(database, workload, "drain");
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      Thread.sleep(250);
    }
  }

  private void progress(Database database, Workload workload, String phase) {
    String counts;
    try {
      Map<String, Long> byStatus =
          database
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT status, count(*) FROM bpm_proc_inst"
                                  + " WHERE proc_def_id IN (:work, :poison) GROUP BY status")
                          .bind("work", workload.workDefinition())
                          .bind("poison", workload.poisonDefinition())
                          .setQueryTimeout(5)
                          .reduceResultSet(
                              new LinkedHashMap<String, Long>(),
                              (map, rs, ctx) -> {
                                map.put(rs.getString(1), rs.getLong(2));
                                return map;
                              }));
      counts =
          byStatus.entrySet().stream()
              .map(e -> e.getKey().toLowerCase() + "=" + e.getValue())
              .collect(Collectors.joining(" "));
    } catch (RuntimeException e) {
      counts = "database unavailable";
    }
    say(
        phase
            + ": acked="
            + workload.ackedCount()
            + " retrying_starts="
            + workload.inFlight()
            + " "
            + counts
            + " | kills="
            + fleet.kills()
            + " terminations="
            + terminations.get()
            + " restarts="
            + restarts.get()
            + " pods="
            + fleet.liveIds().size());
  }

  private void abort(String reason) {
    if (abortReason.compareAndSet(null, reason)) say("ABORT: " + reason);
  }

  /** Ctrl-C or kill: no pod process and no PostgreSQL may outlive the harness. */
  private void emergencyStop() {
    if (finished) return;
    PodFleet f = fleet;
    if (f != null) f.close();
    ChaosPostgres p = postgres;
    if (p != null) p.close();
  }

  private void say(String message) {
    long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
    synchronized (out) {
      out.printf("chaos: [%4ds] %s%n", s, message);
      out.flush();
    }
  }

  private void removeOldPodLogs() throws IOException {
    try (DirectoryStream<Path> logs =
        Files.newDirectoryStream(options.logDir(), "chaos-pod-*.log")) {
      for (Path log : logs) Files.deleteIfExists(log);
    }
    Files.deleteIfExists(options.logDir().resolve("postgres.log"));
  }

  static String summaryLine(ChaosResult r) {
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

  private void writeSummary(ChaosResult r, String runId, Workload workload, Verification v)
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
    say("summary written to " + options.summaryFile());
  }

  private static void row(StringBuilder md, String name, String value) {
    md.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }

  private static String every(Duration d) {
    if (d.isZero()) return "never";
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  @FunctionalInterface
  private interface Injury {
    void run() throws Exception;
  }
}
