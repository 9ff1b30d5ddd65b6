package dev.podflow.bench;

import dev.podflow.store.DatabaseConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** {@code ./podflow bench}: runs the scenarios on one PostgreSQL and writes the table. */
public final class Bench {
  static final String DRAIN = "queue drain";
  static final String LIMIT = "raw-SQL limit";
  static final String PODFLOW = "podflow";
  static final String PGBENCH = "raw SQL (pgbench)";
  static final String PGBENCH_ASYNC = "raw SQL (pgbench), claim async";
  static final String PICKUP = "pick-up latency";
  static final String E2E = "end to end";
  static final String SCALE = "table scale";
  static final String DB_SCHEDULER = "db-scheduler 16.12.0";
  static final String DB_SCHEDULER_VACUUMED = "db-scheduler 16.12.0, vacuumed";
  static final String JOBRUNR = "JobRunr 8.7.0";

  private final BenchOptions options;
  private final BenchDatabase database;
  private final Results results;
  private final PrintStream log;
  private final Path workDir;

  Bench(BenchOptions options, Results results, PrintStream log, Path workDir) {
    this.options = options;
    this.database =
        new BenchDatabase(DatabaseConfig.fromUrl(options.databaseUrl()), options.databaseName());
    this.results = results;
    this.log = log;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    // Before the first logger: the parts the bench runs only warn (pod processes keep their own).
    System.setProperty("logback.configurationFile", "bench-logback.xml");
    if (List.of(args).contains("--help")) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss"));
    Results results =
        new Results(Machine.describe(), ("./podflow bench " + String.join(" ", args)).strip());
    Path work = Files.createTempDirectory("podflow-bench");
    new Bench(options, results, System.out, work).runAll();
    System.out.println();
    results.print(System.out);
    Path md = results.write(options.outDir(), stamp);
    System.out.println("\nwritten: " + md + " and " + md.toString().replace(".md", ".csv"));
  }

  void runAll() throws Exception {
    try {
      if (options.scenarios().contains("limit")) limit();
      if (options.scenarios().contains("drain")) drain();
      if (options.scenarios().contains("peers")) peers();
      new Ratios(results, options).addAll();
      if (options.scenarios().contains("pickup")) pickup();
      if (options.scenarios().contains("e2e")) endToEnd();
      if (options.scenarios().contains("scale")) scale();
      if (options.scenarios().contains("memory")) {
        new MemoryScenario(options, database, results, line -> say("memory: %s", line)).run();
      }
    } finally {
      database.drop();
    }
  }

  private void limit() throws Exception {
    if (!PgbenchLimit.available()) {
      log.println("bench: pgbench is not on the PATH; skipping the raw-SQL limit");
      return;
    }
    for (int p : Ratios.concurrencies(options)) {
      say("raw-SQL limit: pgbench -c %d over %,d tasks", p, options.tasks());
      double sync = PgbenchLimit.run(database, options.tasks(), p, false, workDir);
      results.add(
          new Row(
              LIMIT,
              PGBENCH,
              "P=" + p,
              "tasks/s",
              sync,
              "claim + fenced complete, both commits synchronous; todolist vacuumed as the pods do"));
      double async = PgbenchLimit.run(database, options.tasks(), p, true, workDir);
      results.add(
          new Row(
              LIMIT,
              PGBENCH_ASYNC,
              "P=" + p,
              "tasks/s",
              async,
              "the same, claim committed asynchronously as Podflow's is"));
    }
  }

  private void drain() throws Exception {
    for (int p : options.pods()) {
      say("queue drain: %d in-process pod(s) x 1 slot over %,d tasks", p, options.tasks());
      PodflowDrain.Result r =
          PodflowDrain.inProcess(database, options.tasks(), options.warmUpRound(), p, 1);
      results.add(
          new Row(DRAIN, PODFLOW, "P=" + p + " in-process", "tasks/s", r.perSecond(), notDone(r)));
    }
    int p = options.processPods();
    say("queue drain: 1 in-process pod x %d slots over %,d tasks", p, options.tasks());
    PodflowDrain.Result multi =
        PodflowDrain.inProcess(database, options.tasks(), options.warmUpRound(), 1, p);
    results.add(
        new Row(
            DRAIN,
            PODFLOW,
            "P=" + p + " as 1 pod x " + p + " slots",
            "tasks/s",
            multi.perSecond(),
            notDone(multi)));
    say("queue drain: %d pod processes x 1 slot over %,d tasks", p, options.tasks());
    PodflowDrain.Result r =
        PodflowDrain.separateProcesses(
            database,
            options.tasks(),
            options.warmUpRound(),
            p,
            workDir.resolve("drain-processes"));
    results.add(
        new Row(DRAIN, PODFLOW, "P=" + p + " processes", "tasks/s", r.perSecond(), notDone(r)));
  }

  private void peers() throws Exception {
    int p = options.processPods();
    for (boolean vacuum : List.of(false, true)) {
      for (int schedulers : p == 1 ? List.of(1) : List.of(1, p)) {
        int threads = p / schedulers;
        String shape = Ratios.dbSchedulerShape(p, schedulers);
        say(
            "peers: db-scheduler, %s, over %,d jobs%s",
            shape, options.tasks(), vacuum ? ", vacuumed alongside" : "");
        Warmed d = warm(n -> Peers.dbScheduler(database, n, schedulers, threads, vacuum));
        results.add(
            new Row(
                DRAIN,
                vacuum ? DB_SCHEDULER_VACUUMED : DB_SCHEDULER,
                shape,
                "tasks/s",
                d.perSecond(),
                (vacuum
                        ? "scheduled_tasks vacuumed as Podflow's pods vacuum todolist; "
                        : "lock-and-fetch (0.5, 1.0), poll 100 ms; ")
                    + d.note()));
      }
    }
    say("peers: JobRunr with %d workers over %,d jobs", p, options.tasks());
    Warmed j = warm(n -> Peers.jobRunr(database, n, p));
    results.add(
        new Row(
            DRAIN,
            JOBRUNR,
            "P=" + p + " workers",
            "tasks/s",
            j.perSecond(),
            "poll 5 s (its minimum), bulk-enqueued; " + j.note()));
  }

  /** A peer's drain over {@code tasks} tasks. */
  private interface Drain {
    Peers.Result run(int tasks) throws Exception;
  }

  /**
   * Warms a peer up as Podflow's pods are ({@link WarmUp}, rounds of {@code --warm-up} tasks or a
   * tenth of N), then drains N: the measured run finds the system's hot path compiled, as in a
   * process that has been up a while, not spends a core on the JIT.
   */
  private Warmed warm(Drain drain) throws Exception {
    int round = Math.max(options.tasks() / 10, options.warmUpRound());
    int rounds = WarmUp.untilSteady(() -> drain.run(round).perSecond());
    return new Warmed(drain.run(options.tasks()), rounds);
  }

  /** A peer's measured drain and the warm-up rounds before it. */
  private record Warmed(Peers.Result result, int rounds) {
    double perSecond() {
      return result.perSecond();
    }

    String note() {
      Peers.Result r = result;
      return (r.left() == 0 ? "all " + r.jobs() + " ran" : r.left() + " left")
          + ", "
          + WarmUp.note(rounds);
    }
  }

  private void pickup() throws Exception {
    int p = options.processPods();
    for (boolean listen : List.of(true, false)) {
      for (int rate : options.rates()) {
        String mode = listen ? "LISTEN/NOTIFY" : "poll-only (2 s poll)";
        say(
            "pick-up: %s, %d starts/s over HTTP for %d s, %d pods",
            mode, rate, options.rateSeconds(), p);
        Pickup.Result r = Pickup.run(database, p, listen, rate, options.rateSeconds());
        String setup = rate + "/s, " + p + " pods";
        String note =
            r.processes()
                + " processes"
                + (r.failed() > 0
                    ? ", " + r.failed() + " starts failed (first: " + r.firstFailure() + ")"
                    : "");
        results.add(new Row(PICKUP, "podflow " + mode, setup, "p50 ms", r.p50(), note));
        results.add(new Row(PICKUP, "podflow " + mode, setup, "p95 ms", r.p95(), note));
        results.add(new Row(PICKUP, "podflow " + mode, setup, "p99 ms", r.p99(), note));
      }
    }
  }

  private void endToEnd() throws Exception {
    int p = options.processPods();
    say("end to end: %,d 3-step processes over HTTP, %d pod processes", options.e2eProcesses(), p);
    EndToEnd.Result r = EndToEnd.run(database, options.e2eProcesses(), p, workDir.resolve("e2e"));
    String setup = p + " pod processes + API process";
    String note =
        r.processes()
            + " processes"
            + (r.notCompleted() > 0
                ? ", " + r.notCompleted() + " not COMPLETED"
                : ", all COMPLETED");
    results.add(new Row(E2E, PODFLOW, setup, "completed processes/s", r.perSecond(), note));
    results.add(
        new Row(
            E2E, PODFLOW, setup, "pod CPU s per 1k tasks", r.podCpuPer1k(), "all pods together"));
    results.add(new Row(E2E, PODFLOW, setup, "API CPU s per 1k tasks", r.apiCpuPer1k(), ""));
    results.add(
        new Row(
            E2E,
            PODFLOW,
            setup,
            "PostgreSQL CPU s per 1k tasks",
            r.postgresCpuPer1k(),
            "every postgres process"));
    results.add(
        new Row(
            E2E, PODFLOW, setup, "RSS MiB per pod", r.rssMiBPerPod(), "default JVM heap settings"));
  }

  private void scale() throws Exception {
    int p = options.processPods();
    say(
        "table scale: %,d due tasks per step, %,d finished, %,d future rows",
        options.scaleTasks(), options.scaleFinished(), options.scaleFuture());
    for (TableScale.Step s :
        TableScale.run(
            database, options.scaleTasks(), options.scaleFinished(), options.scaleFuture(), p)) {
      String setup = s.label();
      String note =
          String.format(Locale.ROOT, "%d workers claim+complete at %.0f tasks/s", p, s.perSecond());
      results.add(new Row(SCALE, PODFLOW, setup, "claim p50 ms", s.p50(), note));
      results.add(new Row(SCALE, PODFLOW, setup, "claim p99 ms", s.p99(), note));
    }
  }

  private static String notDone(PodflowDrain.Result r) {
    return (r.notDone() == 0 ? "every task DONE" : r.notDone() + " tasks not DONE")
        + ", "
        + WarmUp.note(r.warmUpRounds());
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, "bench: " + format + "%n", args);
  }
}
