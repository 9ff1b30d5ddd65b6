package dev.podflow.bench;

import dev.podflow.memory.MemoryStore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The memory scenario's rows: recall latency through the HNSW index at every {@code --memory-sizes}
 * size and by the exact search (no pgvector) at the smallest ({@link MemoryRecall}), recall@10 of
 * the index, and one pod's embedding rate ({@link EmbeddingThroughput}). On a server without
 * pgvector it says so and leaves the HNSW rows out.
 */
final class MemoryScenario {
  static final String RECALL = "memory recall";
  static final String EMBEDDING = "memory embedding";
  static final String HNSW = "podflow, pgvector HNSW";
  static final String EXACT = "podflow, exact (no pgvector)";

  private final BenchOptions options;
  private final BenchDatabase database;
  private final Results results;
  private final Consumer<String> progress;

  MemoryScenario(
      BenchOptions options, BenchDatabase database, Results results, Consumer<String> progress) {
    this.options = options;
    this.database = database;
    this.results = results;
    this.progress = progress;
  }

  void run() throws Exception {
    List<Integer> sizes = options.memorySizes().stream().sorted().distinct().toList();
    int timed = options.memoryQueries();
    int warmUp = Math.max(1, timed / 4);
    for (int size : sizes) {
      ClusteredVectors data = ClusteredVectors.generate(size);
      List<float[]> queries = data.queries(warmUp + timed);
      String setup = String.format(Locale.ROOT, "%,d memories", size);
      say("%,d recalls over %,d memories through the HNSW index", timed, size);
      Optional<MemoryRecall.Result> hnsw =
          MemoryRecall.run(
              database,
              data,
              queries.subList(0, warmUp),
              queries.subList(warmUp, queries.size()),
              true);
      if (hnsw.isEmpty()) say("the server has no pgvector; no HNSW rows");
      hnsw.ifPresent(r -> addHnsw(setup, r, warmUp));
      if (size == sizes.get(0)) exact(data, setup, queries, warmUp);
    }
    int texts = options.embedTexts();
    say("one pod embeds %d waiting memories", texts);
    EmbeddingThroughput.Result e = EmbeddingThroughput.run(database, texts);
    results.add(
        new Row(
            EMBEDDING,
            "podflow pod, all-MiniLM-L6-v2 in-process",
            "1 pod, batches of 16",
            "texts/s",
            e.perSecond(),
            String.format(
                Locale.ROOT,
                "%d distinct sentences claimed, embedded, written and checked for near-duplicates"
                    + " (%d embedded, %d folded); the model alone: %.0f texts/s",
                e.texts(),
                e.embedded(),
                e.folded(),
                e.modelPerSecond())));
  }

  private void addHnsw(String setup, MemoryRecall.Result r, int warmUp) {
    String note =
        String.format(
            Locale.ROOT,
            "%,d recalls of the top %d after %,d untimed, 1 thread; loaded in %.1f s, index (%.0f MiB)"
                + " built after it in %.1f s; ef_search %d (MemoryStore's)",
            r.timed(),
            MemoryRecall.TOP,
            warmUp,
            r.loadSeconds(),
            r.indexMiB(),
            r.indexSeconds(),
            MemoryStore.EF_SEARCH);
    results.add(new Row(RECALL, HNSW, setup, "p50 ms", r.p50(), note));
    results.add(new Row(RECALL, HNSW, setup, "p99 ms", r.p99(), note));
    results.add(
        new Row(
            RECALL,
            HNSW,
            setup,
            "recall@10",
            r.recallAt10(),
            String.format(
                Locale.ROOT,
                "share of the exact 10 nearest (a scan in Java over the same vectors) in %d"
                    + " recalls' results; %d clusters of 384-dim unit vectors",
                r.checked(),
                ClusteredVectors.CLUSTERS)));
  }

  /** The store's fallback reads every row per recall: a tenth of the HNSW runs' recalls. */
  private void exact(ClusteredVectors data, String setup, List<float[]> queries, int warmUp)
      throws Exception {
    int timed = Math.max(1, options.memoryQueries() / 10);
    int untimed = Math.max(1, warmUp / 10);
    say("%,d recalls over %,d memories by exact search", timed, data.size());
    MemoryRecall.Result r =
        MemoryRecall.run(
                database,
                data,
                queries.subList(0, untimed),
                queries.subList(warmUp, warmUp + timed),
                false)
            .orElseThrow();
    String note =
        String.format(
            Locale.ROOT,
            "%,d recalls after %d untimed, 1 thread, each podflow_cosine over every row; returned"
                + " %.2f of the exact 10 nearest",
            r.timed(),
            untimed,
            r.recallAt10());
    results.add(new Row(RECALL, EXACT, setup, "p50 ms", r.p50(), note));
    results.add(new Row(RECALL, EXACT, setup, "p99 ms", r.p99(), note));
  }

  private void say(String format, Object... args) {
    progress.accept(String.format(Locale.ROOT, format, args));
  }
}
