package dev.podflow.bench;

import dev.podflow.store.DatabaseConfig;
import java.io.IOException;
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
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (List.of(args).contains("--help")) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss"));
    Results results = new Results(machine(), ("./podflow bench " + String.join(" ", args)).strip());
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
      ratios();
      scaleOutRatios();
      if (options.scenarios().contains("pickup")) pickup();
      if (options.scenarios().contains("e2e")) endToEnd();
      if (options.scenarios().contains("scale")) scale();
    } finally {
      database.drop();
    }
  }

  private void limit() throws Exception {
    if (!PgbenchLimit.available()) {
      log.println("bench: pgbench is not on the PATH; skipping the raw-SQL limit");
      return;
    }
    for (int p : concurrencies()) {
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
      PodflowDrain.Result r = PodflowDrain.inProcess(database, options.tasks(), p, 1);
      results.add(
          new Row(DRAIN, PODFLOW, "P=" + p + " in-process", "tasks/s", r.perSecond(), notDone(r)));
    }
    int p = options.processPods();
    say("queue drain: 1 in-process pod x %d slots over %,d tasks", p, options.tasks());
    PodflowDrain.Result multi = PodflowDrain.inProcess(database, options.tasks(), 1, p);
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
            database, options.tasks(), p, workDir.resolve("drain-processes"));
    results.add(
        new Row(DRAIN, PODFLOW, "P=" + p + " processes", "tasks/s", r.perSecond(), notDone(r)));
  }

  private void peers() throws Exception {
    int p = options.processPods();
    for (boolean vacuum : List.of(false, true)) {
      for (int schedulers : p == 1 ? List.of(1) : List.of(1, p)) {
        int threads = p / schedulers;
        String shape = dbSchedulerShape(p, schedulers);
        say(
            "peers: db-scheduler, %s, over %,d jobs%s",
            shape, options.tasks(), vacuum ? ", vacuumed alongside" : "");
        Peers.Result d = warm(n -> Peers.dbScheduler(database, n, schedulers, threads, vacuum));
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
                    + left(d)));
      }
    }
    say("peers: JobRunr with %d workers over %,d jobs", p, options.tasks());
    Peers.Result j = warm(n -> Peers.jobRunr(database, n, p));
    results.add(
        new Row(
            DRAIN,
            JOBRUNR,
            "P=" + p + " workers",
            "tasks/s",
            j.perSecond(),
            "poll 5 s (its minimum), bulk-enqueued; " + left(j)));
  }

  /** A drain over {@code tasks} tasks. */
  private interface Drain<T> {
    T run(int tasks) throws Exception;
  }

  /**
   * Runs an in-process drain over a tenth of N first, unmeasured, then over N: the measured run
   * finds the system's hot path compiled, as in a process that has been up a while, not spends a
   * core on the JIT. The peers get this; Podflow's pods drain a tenth of N themselves before the
   * measured run ({@link PodflowDrain}).
   */
  private <T> T warm(Drain<T> drain) throws Exception {
    drain.run(Math.max(1, options.tasks() / 10));
    return drain.run(options.tasks());
  }

  /**
   * Podflow as a fraction of the limit and of each peer, at the same concurrency: for P pods x 1
   * slot, and for 1 pod x P slots where that ran.
   */
  private void ratios() {
    for (int p : concurrencies()) {
      ratiosOf(
          p,
          "P=" + p + " in-process",
          p + (p == 1 ? " pod" : " pods") + " x 1 slot",
          dbSchedulerShape(p, p));
      ratiosOf(
          p,
          "P=" + p + " as 1 pod x " + p + " slots",
          "1 pod x " + p + " slots",
          dbSchedulerShape(p, 1));
    }
  }

  /**
   * Scale-out: each in-process drain of P pods x 1 slot against the one of the fewest pods above
   * one (adding pods must not make the queue slower), and the pod processes against the in-process
   * pods of the same count (a pod process has its own JVM, pool and LISTEN session).
   */
  private void scaleOutRatios() {
    List<Integer> pods = options.pods().stream().filter(p -> p > 1).sorted().toList();
    if (!pods.isEmpty()) {
      int base = pods.getFirst();
      results
          .find(DRAIN, PODFLOW, "P=" + base + " in-process")
          .ifPresent(
              reference -> {
                for (int p : pods.subList(1, pods.size())) {
                  results
                      .find(DRAIN, PODFLOW, "P=" + p + " in-process")
                      .ifPresent(
                          more ->
                              results.add(
                                  new Row(
                                      "ratio",
                                      "podflow " + p + " pods / " + base + " pods, x 1 slot",
                                      "P=" + p,
                                      "x",
                                      more.value() / reference.value(),
                                      "target >= 0.9: adding pods does not slow the queue")));
                }
              });
    }
    int p = options.processPods();
    results
        .find(DRAIN, PODFLOW, "P=" + p + " processes")
        .ifPresent(
            processes ->
                results
                    .find(DRAIN, PODFLOW, "P=" + p + " in-process")
                    .ifPresent(
                        inProcess ->
                            results.add(
                                new Row(
                                    "ratio",
                                    "podflow pod processes / in-process pods",
                                    "P=" + p,
                                    "x",
                                    processes.value() / inProcess.value(),
                                    "target >= 0.8; both after a warm-up"))));
  }

  /** db-scheduler's setup: P threads in {@code schedulers} schedulers of equal size. */
  private static String dbSchedulerShape(int p, int schedulers) {
    return "P="
        + p
        + " as "
        + schedulers
        + (schedulers == 1 ? " scheduler" : " schedulers")
        + " x "
        + (p / schedulers)
        + (p / schedulers == 1 ? " thread" : " threads");
  }

  /**
   * Ratios of one Podflow drain; against db-scheduler in the same shape ({@code dbSchedulerSetup}:
   * as many schedulers as Podflow has pods, as many threads as its pods have slots).
   */
  private void ratiosOf(int p, String podflowSetup, String note, String dbSchedulerSetup) {
    java.util.Optional<Row> podflow = results.find(DRAIN, PODFLOW, podflowSetup);
    if (podflow.isEmpty()) return;
    double v = podflow.get().value();
    results
        .find(LIMIT, PGBENCH, "P=" + p)
        .ifPresent(
            l -> ratio(p, "podflow / raw-SQL limit (both commits sync)", v / l.value(), note));
    results
        .find(LIMIT, PGBENCH_ASYNC, "P=" + p)
        .ifPresent(l -> ratio(p, "podflow / raw-SQL limit (claim async)", v / l.value(), note));
    results
        .find(DRAIN, DB_SCHEDULER, dbSchedulerSetup)
        .ifPresent(d -> ratio(p, "podflow / db-scheduler, same shape", v / d.value(), note));
    results
        .find(DRAIN, DB_SCHEDULER_VACUUMED, dbSchedulerSetup)
        .ifPresent(
            d -> ratio(p, "podflow / db-scheduler vacuumed, same shape", v / d.value(), note));
    results
        .find(DRAIN, JOBRUNR, "P=" + p + " workers")
        .ifPresent(j -> ratio(p, "podflow / JobRunr", v / j.value(), note));
  }

  private void ratio(int p, String what, double value, String podflowSetup) {
    results.add(new Row("ratio", what, "P=" + p, "x", value, "podflow as " + podflowSetup));
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

  private static String left(Peers.Result r) {
    return r.left() == 0 ? "all " + r.jobs() + " ran" : r.left() + " left";
  }

  private List<Integer> concurrencies() {
    java.util.TreeSet<Integer> all = new java.util.TreeSet<>(options.pods());
    all.add(options.processPods());
    return List.copyOf(all);
  }

  private static String notDone(PodflowDrain.Result r) {
    return r.notDone() == 0 ? "every task DONE" : r.notDone() + " tasks not DONE";
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, "bench: " + format + "%n", args);
  }

  static String machine() {
    String cpu = "?";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse("?");
    } catch (IOException e) {
      // not Linux
    }
    long mem = Runtime.getRuntime().maxMemory();
    try {
      mem =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
                  .filter(l -> l.startsWith("MemTotal"))
                  .findFirst()
                  .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                  .orElse(0L)
              * 1024;
    } catch (IOException | RuntimeException e) {
      // keep the JVM's figure
    }
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.0f GiB, Java %s, %s %s",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        mem / (1024.0 * 1024 * 1024),
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }
}
