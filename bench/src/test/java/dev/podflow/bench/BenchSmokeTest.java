package dev.podflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.podflow.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario of the harness at a tiny size, so it never rots: sane rows come out (positive
 * rates, every task done, latencies present), not timings.
 */
class BenchSmokeTest {
  @TempDir Path dir;

  @Test
  void everyScenarioProducesSaneRows() throws Exception {
    String server = TestDatabase.shared().url();
    String name = "podflow_bench_smoke_" + UUID.randomUUID().toString().substring(0, 8);
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--database-url", server,
              "--database-name", name,
              "--tasks", "500",
              "--warm-up", "100",
              "--pods", "2",
              "--process-pods", "2",
              "--rates", "20",
              "--rate-seconds", "2",
              "--e2e", "60",
              "--scale-finished", "2000",
              "--scale-future", "500",
              "--scale-tasks", "200",
              "--memory-sizes", "2000",
              "--memory-queries", "20",
              "--embed-texts", "32",
              "--out", dir.toString()
            });
    Results results = new Results(Machine.describe(), "smoke");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new Bench(options, results, new PrintStream(log, true, StandardCharsets.UTF_8), dir).runAll();

    List<Row> rows = results.rows();
    assertThat(rows)
        .extracting(Row::scenario)
        .contains(
            Bench.DRAIN,
            "ratio",
            Bench.PICKUP,
            Bench.E2E,
            Bench.SCALE,
            MemoryScenario.RECALL,
            MemoryScenario.EMBEDDING);
    if (PgbenchLimit.available()) assertThat(rows).extracting(Row::scenario).contains(Bench.LIMIT);
    assertThat(rows).allSatisfy(r -> assertThat(r.value()).isFinite().isGreaterThanOrEqualTo(0));
    assertThat(rows)
        .filteredOn(r -> r.metric().equals("tasks/s"))
        .extracting(Row::system)
        .contains(Bench.PODFLOW, Bench.DB_SCHEDULER, Bench.DB_SCHEDULER_VACUUMED, Bench.JOBRUNR);
    assertThat(rows)
        .filteredOn(r -> r.scenario().equals(Bench.DRAIN))
        .allSatisfy(
            r -> {
              assertThat(r.value()).isPositive();
              assertThat(r.note()).containsAnyOf("every task DONE", "all 500 ran");
            });
    assertThat(rows)
        .filteredOn(r -> r.scenario().equals(Bench.E2E) && r.metric().startsWith("completed"))
        .singleElement()
        .satisfies(r -> assertThat(r.note()).contains("all COMPLETED"));
    // The suite's PostgreSQL has pgvector: both backends answer, the exact search exactly.
    assertThat(rows)
        .filteredOn(r -> r.scenario().equals(MemoryScenario.RECALL))
        .extracting(Row::system, Row::setup, Row::metric)
        .contains(
            tuple(MemoryScenario.HNSW, "2,000 memories", "p50 ms"),
            tuple(MemoryScenario.HNSW, "2,000 memories", "recall@10"),
            tuple(MemoryScenario.EXACT, "2,000 memories", "p99 ms"));
    assertThat(rows)
        .filteredOn(r -> r.metric().equals("recall@10"))
        .allSatisfy(r -> assertThat(r.value()).isPositive().isLessThanOrEqualTo(1));
    assertThat(rows)
        .filteredOn(r -> r.system().equals(MemoryScenario.EXACT))
        .allSatisfy(r -> assertThat(r.note()).contains("returned 1.00 of the exact 10 nearest"));
    assertThat(rows)
        .filteredOn(r -> r.scenario().equals(MemoryScenario.EMBEDDING))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value()).isPositive();
              assertThat(r.note()).contains("(32 embedded, 0 folded)");
            });

    Path md = results.write(dir, "smoke");
    assertThat(Files.readString(md)).contains("| queue drain | podflow | P=2 in-process |");
    assertThat(Files.readString(dir.resolve("smoke.csv")))
        .startsWith("scenario,system,setup,metric,value,note");
  }
}
