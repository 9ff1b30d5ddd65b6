package dev.podflow.bench;

import static dev.podflow.bench.Bench.DB_SCHEDULER;
import static dev.podflow.bench.Bench.DB_SCHEDULER_VACUUMED;
import static dev.podflow.bench.Bench.DRAIN;
import static dev.podflow.bench.Bench.JOBRUNR;
import static dev.podflow.bench.Bench.LIMIT;
import static dev.podflow.bench.Bench.PGBENCH;
import static dev.podflow.bench.Bench.PGBENCH_ASYNC;
import static dev.podflow.bench.Bench.PODFLOW;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The ratio rows, computed from the rows a run measured: Podflow against the raw-SQL limit and each
 * peer at the same concurrency, and Podflow against itself as pods are added or moved into
 * processes. A ratio whose rows did not run is left out.
 */
final class Ratios {
  private static final String RATIO = "ratio";

  private final Results results;
  private final BenchOptions options;

  Ratios(Results results, BenchOptions options) {
    this.results = results;
    this.options = options;
  }

  /** Every concurrency the run used: the in-process pod counts and the pod processes'. */
  static List<Integer> concurrencies(BenchOptions options) {
    TreeSet<Integer> all = new TreeSet<>(options.pods());
    all.add(options.processPods());
    return List.copyOf(all);
  }

  /** db-scheduler's setup: P threads in {@code schedulers} schedulers of equal size. */
  static String dbSchedulerShape(int p, int schedulers) {
    return "P="
        + p
        + " as "
        + schedulers
        + (schedulers == 1 ? " scheduler" : " schedulers")
        + " x "
        + (p / schedulers)
        + (p / schedulers == 1 ? " thread" : " threads");
  }

  void addAll() {
    againstLimitAndPeers();
    scaleOut();
    processesAgainstInProcess();
  }

  /**
   * Podflow as a fraction of the limit and of each peer, at the same concurrency: for P pods x 1
   * slot, and for 1 pod x P slots where that ran.
   */
  private void againstLimitAndPeers() {
    for (int p : concurrencies(options)) {
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
   * Each in-process drain of P pods x 1 slot against the one of the fewest pods above one: adding
   * pods must not make the queue slower.
   */
  private void scaleOut() {
    List<Integer> pods = options.pods().stream().filter(p -> p > 1).sorted().toList();
    if (pods.isEmpty()) return;
    int base = pods.getFirst();
    Optional<Row> reference = inProcess(base);
    if (reference.isEmpty()) return;
    for (int p : pods.subList(1, pods.size())) {
      inProcess(p)
          .ifPresent(
              more ->
                  results.add(
                      new Row(
                          RATIO,
                          "podflow " + p + " pods / " + base + " pods, x 1 slot",
                          "P=" + p,
                          "x",
                          more.value() / reference.get().value(),
                          "target >= 0.9: adding pods does not slow the queue")));
    }
  }

  /**
   * The pod processes against the in-process pods of the same count: a pod process has its own JVM,
   * pool and LISTEN session.
   */
  private void processesAgainstInProcess() {
    int p = options.processPods();
    Optional<Row> processes = results.find(DRAIN, PODFLOW, "P=" + p + " processes");
    Optional<Row> inProcess = inProcess(p);
    if (processes.isEmpty() || inProcess.isEmpty()) return;
    results.add(
        new Row(
            RATIO,
            "podflow pod processes / in-process pods",
            "P=" + p,
            "x",
            processes.get().value() / inProcess.get().value(),
            "target >= 0.8; both after a warm-up"));
  }

  private Optional<Row> inProcess(int pods) {
    return results.find(DRAIN, PODFLOW, "P=" + pods + " in-process");
  }

  /**
   * Ratios of one Podflow drain; against db-scheduler in the same shape ({@code dbSchedulerSetup}:
   * as many schedulers as Podflow has pods, as many threads as its pods have slots).
   */
  private void ratiosOf(int p, String podflowSetup, String note, String dbSchedulerSetup) {
    Optional<Row> podflow = results.find(DRAIN, PODFLOW, podflowSetup);
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
    results.add(new Row(RATIO, what, "P=" + p, "x", value, "podflow as " + podflowSetup));
  }
}
