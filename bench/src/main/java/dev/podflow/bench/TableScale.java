package dev.podflow.bench;

import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.pod.AgentPod;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Notifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The claim as the table grows: {@code threads} workers claim and complete {@code due} no-op tasks
 * through the pods' own transitions (claim timed on its own), first on an empty history, then with
 * {@code finished} finished rows present, then with {@code future} rows scheduled for tomorrow on
 * top.
 */
final class TableScale {
  record Step(String label, double p50, double p99, double perSecond) {}

  private TableScale() {}

  static List<Step> run(BenchDatabase bench, int due, int finished, int future, int threads)
      throws InterruptedException {
    DatabaseConfig config = bench.freshMigrated();
    List<Step> steps = new ArrayList<>();
    try (Database db = Database.connect(config.withPool(threads + 2, "podflow-bench-scale"));
        Notifier notifier = Notifier.async(db.jdbi(), "bench-scale", AgentPod.NOTIFIED_CHANNELS)) {
      Seed.definitions(db);
      Engine engine =
          new Engine(
              db.jdbi(),
              new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover()),
              notifier);
      Seed.noopInstances(db, due, "now()");
      steps.add(measure("due rows only", engine, due, threads));
      Seed.finishedInstances(db, finished);
      Seed.noopInstances(db, due, "now()");
      steps.add(measure(String.format("+ %,d finished rows", finished), engine, due, threads));
      Seed.noopInstances(db, future, "now() + interval '1 day'");
      Seed.noopInstances(db, due, "now()");
      steps.add(
          measure(
              String.format("+ %,d finished, + %,d scheduled for tomorrow", finished, future),
              engine,
              due,
              threads));
    }
    return steps;
  }

  private static Step measure(String label, Engine engine, int due, int threads)
      throws InterruptedException {
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    LongAdder done = new LongAdder();
    List<Thread> workers = new ArrayList<>();
    long begin = System.nanoTime();
    for (int w = 0; w < threads; w++) {
      int worker = w;
      latencies[w] = new long[due];
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (true) {
                      long t0 = System.nanoTime();
                      Optional<ClaimedTask> claimed =
                          engine
                              .queue()
                              .claim("bench-scale-" + worker, Duration.ofSeconds(30), 1)
                              .stream()
                              .findFirst();
                      long t1 = System.nanoTime();
                      if (claimed.isEmpty()) return;
                      latencies[worker][counts[worker]++] = t1 - t0;
                      engine
                          .completions()
                          .complete(claimed.get().task(), claimed.get().task().input());
                      done.increment();
                    }
                  }));
    }
    for (Thread t : workers) t.join();
    double seconds = (System.nanoTime() - begin) / 1e9;
    long[] all =
        Arrays.stream(latencies)
            .flatMapToLong(a -> Arrays.stream(a, 0, counts[Arrays.asList(latencies).indexOf(a)]))
            .sorted()
            .toArray();
    return new Step(label, Latencies.ms(all, 0.50), Latencies.ms(all, 0.99), done.sum() / seconds);
  }
}
