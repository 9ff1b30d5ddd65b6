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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

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
 *
 * <p>This class owns the run itself: the command line, the phases in their order with their
 * timeouts, an abort, the verdict, and the clean-up. The parts it drives own the rest: {@link
 * ChaosPostgres} the database, {@link PodFleet} the pods and their supervision, {@link Workload}
 * the starts, {@link Injuries} the injury schedule, {@link RunProgress} the progress lines and the
 * drain, {@link Verification} what the database says, {@link ChaosReport} the printed and written
 * report.
 */
public final class ChaosHarness {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final ChaosOptions options;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
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
            + "/s; "
            + Injuries.describe(options)
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
      RecoveryProbe probe = new RecoveryProbe(database.jdbi(), runId, this::say);
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
      fleet.awaitStarted(Duration.ofSeconds(90));

      // Injuries are scheduled just before the clock starts, so the one due at the very end
      // (e.g. the 40th kill of 10 minutes at 15 s) is still made.
      Injuries injuries =
          new Injuries(options, postgres, fleet, this::say, this::abort, this::aborted);
      injuries.start(random);
      long chaosStart = System.nanoTime();
      workload.startPacing();
      fleet.startSupervising(this::abort);
      RunProgress progress = new RunProgress(database.jdbi(), workload, fleet, injuries, this::say);
      progress.awaitEnd(chaosStart + options.duration().toNanos(), this::aborted);
      say("injuries stop; waiting for the one in progress");
      if (!injuries.stop(Duration.ofMinutes(5))) {
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
      boolean drained = progress.awaitDrained(options.drainTimeout());

      List<String> stalled = List.of();
      if (drained && !aborted()) {
        RecoveryProbe.Outcome outcome = probe.run(fleet, options.slots());
        stalled = outcome.stalledPods();
        problems.addAll(outcome.problems());
      }
      fleet.stopSupervising();
      say("SIGTERM to " + fleet.liveIds().size() + " pods");
      Map<String, Integer> exitCodes = fleet.stopAll(60);
      Verification v =
          Verification.of(
              database.jdbi(),
              workload.workDefinition(),
              workload.poisonDefinition(),
              workload.acked());
      ChaosResult judged = judge(workload, injuries, v, stalled, exitCodes, drained);
      pass = judged.pass();
      return new ChaosReport(options, runId, out, this::say)
          .publish(judged, postgres, fleet, workload, v);
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

  /**
   * The verdict: PASS when some start was acknowledged and nothing was lost, done twice or left
   * behind, every live pod worked after the chaos, no start key clashed, the run was not aborted
   * and every pod exited 0 on SIGTERM. Collects the problems found; the result has no summary line
   * yet.
   */
  private ChaosResult judge(
      Workload workload,
      Injuries injuries,
      Verification v,
      List<String> stalled,
      Map<String, Integer> exitCodes,
      boolean drained) {
    exitCodes.forEach(
        (pod, code) -> {
          if (code != 0) problems.add("pod " + pod + " exited " + code + " on SIGTERM");
        });
    problems.addAll(v.problems());
    if (workload.keyConflicts() > 0) {
      problems.add(workload.keyConflicts() + " start(s) hit an Idempotency-Key conflict");
    }
    if (aborted()) problems.add("run aborted: " + abortReason.get());
    if (!drained) problems.add("the pods did not drain the work in time");
    long started = workload.ackedCount();
    boolean pass =
        started > 0
            && v.lost() == 0
            && v.duplicated() == 0
            && v.stuck() == 0
            && stalled.isEmpty()
            && workload.keyConflicts() == 0
            && !aborted()
            && exitCodes.values().stream().allMatch(c -> c == 0);
    return new ChaosResult(
        options.pods(),
        options.duration().toSeconds(),
        started,
        v.completed(),
        v.deadByDesign(),
        v.lost(),
        v.duplicated(),
        v.stuck(),
        fleet.kills(),
        injuries.terminations(),
        injuries.backendsTerminated(),
        injuries.restarts(),
        v.rescued(),
        fleet.unexpectedExits().size(),
        stalled,
        exitCodes,
        v.instancesByStatus(),
        List.copyOf(problems),
        pass,
        null);
  }

  private void abort(String reason) {
    if (abortReason.compareAndSet(null, reason)) say("ABORT: " + reason);
  }

  private boolean aborted() {
    return abortReason.get() != null;
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
}
