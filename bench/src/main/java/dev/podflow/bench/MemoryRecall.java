package dev.podflow.bench;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.MemoryStore.Backend;
import dev.podflow.memory.RecallProfile;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.memory.RecalledMemory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Recall as a step makes it, {@link MemoryStore#recall} (the top {@value #TOP} of one agent's
 * memories), over {@link ClusteredVectors} stored as memories: single-threaded latency after a
 * warm-up, and how many of the exact ten nearest (computed in Java over the same vectors) it
 * returns. Each run gets a fresh database: with pgvector, where the migration's HNSW index serves
 * the search, or without, where the store falls back to its exact cosine over every row.
 */
final class MemoryRecall {
  static final String AGENT = "bench-memory";
  static final int TOP = 10;

  /** How many of the timed recalls are checked against the exact ten nearest. */
  static final int CHECKED = 200;

  /**
   * @param loadSeconds inserting every memory
   * @param indexSeconds building the HNSW index after the load (NaN without one)
   * @param indexMiB the HNSW index's size (NaN without one)
   * @param recallAt10 the share of the exact ten nearest the recalls returned, over {@code checked}
   */
  record Result(
      double loadSeconds,
      double indexSeconds,
      double indexMiB,
      double p50,
      double p99,
      double recallAt10,
      int timed,
      int checked) {}

  private record Load(double loadSeconds, double indexSeconds, double indexMiB) {}

  private MemoryRecall() {}

  /**
   * Times {@code queries} after the untimed {@code warmUp}, with the HNSW index when {@code hnsw},
   * else without pgvector; empty when {@code hnsw} and the server has no pgvector.
   */
  static Optional<Result> run(
      BenchDatabase bench,
      ClusteredVectors data,
      List<float[]> warmUp,
      List<float[]> queries,
      boolean hnsw)
      throws SQLException {
    DatabaseConfig config = hnsw ? bench.freshMigrated() : bench.freshMigratedWithoutPgvector();
    try (Database db = Database.connect(config.withPool(2, "podflow-bench-memory"))) {
      // Recall gets its vector ready-made: the embedder is never asked here.
      MemoryStore store = MemoryStore.open(db.jdbi(), Embedders.local());
      if (hnsw && store.backend() != Backend.PGVECTOR_HNSW) return Optional.empty();
      if (!hnsw && store.backend() != Backend.EXACT) {
        throw new IllegalStateException(
            "database " + bench.name() + " kept the HNSW index without pgvector; no exact search");
      }
      Seed.agent(db, AGENT);
      Load load = load(config, data, hnsw);
      for (float[] query : warmUp) recall(store, query);
      int checked = Math.min(CHECKED, queries.size());
      long[] nanos = new long[queries.size()];
      List<Set<String>> returned = new ArrayList<>(checked);
      for (int i = 0; i < queries.size(); i++) {
        long t0 = System.nanoTime();
        List<RecalledMemory> got = recall(store, queries.get(i));
        nanos[i] = System.nanoTime() - t0;
        if (i < checked) returned.add(contents(got));
      }
      Arrays.sort(nanos);
      return Optional.of(
          new Result(
              load.loadSeconds(),
              load.indexSeconds(),
              load.indexMiB(),
              Latencies.ms(nanos, 0.50),
              Latencies.ms(nanos, 0.99),
              recallAt10(data, queries.subList(0, checked), returned),
              queries.size(),
              checked));
    }
  }

  /** The agent's whole memory, every source; a floor of -1 lets every score through. */
  private static List<RecalledMemory> recall(MemoryStore store, float[] query) {
    return store.recall(
        StartCommand.DEFAULT_TENANT, AGENT, null, null, RecallProfile.SOURCES, query, TOP, -1.0);
  }

  /**
   * Stores {@code data} as the agent's memories in batched INSERTs, each embedding bound as a
   * {@code real[]} as the store binds one; with {@code hnsw}, drops the migration's index first and
   * builds it again from its own definition once the rows are in (much faster than growing it row
   * by row).
   */
  private static Load load(DatabaseConfig config, ClusteredVectors data, boolean hnsw)
      throws SQLException {
    try (Connection c = BenchDatabase.connect(config);
        Statement st = c.createStatement()) {
      String index = null;
      if (hnsw) {
        try (ResultSet rs =
            st.executeQuery("SELECT pg_get_indexdef('memories_embedding'::regclass)")) {
          rs.next();
          index = rs.getString(1);
        }
        st.execute("DROP INDEX memories_embedding");
      }
      long t0 = System.nanoTime();
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO memories (tenant_id, agent_id, source, content, created_by, embedding,"
                  + " embedding_model) VALUES (?, ?, 'knowledge', ?, 'bench', ?, 'synthetic')")) {
        for (int i = 0; i < data.size(); i++) {
          insert.setString(1, StartCommand.DEFAULT_TENANT);
          insert.setString(2, AGENT);
          insert.setString(3, content(i));
          insert.setObject(4, data.get(i)); // real[], as the store binds an embedding
          insert.addBatch();
          if (i % 1000 == 999 || i == data.size() - 1) insert.executeBatch();
        }
      }
      c.commit();
      c.setAutoCommit(true);
      long t1 = System.nanoTime();
      if (index != null) {
        // The graph of 100,000 vectors of 384 dimensions needs about 200 MB to be built in memory.
        st.execute("SET maintenance_work_mem = '1GB'");
        st.execute(index);
      }
      long t2 = System.nanoTime();
      st.execute("ANALYZE memories");
      if (index == null) return new Load((t1 - t0) / 1e9, Double.NaN, Double.NaN);
      try (ResultSet rs = st.executeQuery("SELECT pg_relation_size('memories_embedding')")) {
        rs.next();
        return new Load((t1 - t0) / 1e9, (t2 - t1) / 1e9, rs.getLong(1) / (1024.0 * 1024));
      }
    }
  }

  private static double recallAt10(
      ClusteredVectors data, List<float[]> queries, List<Set<String>> returned) {
    long found =
        IntStream.range(0, queries.size())
            .parallel()
            .mapToLong(
                q ->
                    Arrays.stream(data.nearest(queries.get(q), TOP))
                        .filter(i -> returned.get(q).contains(content(i)))
                        .count())
            .sum();
    return (double) found / (TOP * queries.size());
  }

  private static Set<String> contents(List<RecalledMemory> memories) {
    Set<String> out = new HashSet<>();
    for (RecalledMemory m : memories) out.add(m.content());
    return out;
  }

  /** A memory's content names the vector it holds, so results compare without assuming ids. */
  private static String content(int i) {
    return "synthetic memory " + i;
  }
}
