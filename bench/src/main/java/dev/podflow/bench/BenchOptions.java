package dev.podflow.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to run. Every option has a default, so {@code ./podflow bench} alone runs the full set.
 *
 * @param databaseUrl the server (any database on it); the bench database is created next to it
 * @param databaseName the database each scenario recreates
 * @param tasks N, the tasks pre-inserted for each queue drain
 * @param warmUpRound tasks each JVM runs per warm-up round before a drain is measured
 * @param pods the P of the in-process drains (and of pgbench)
 * @param processPods the P of the separate-process drain and the peers' concurrency
 * @param scenarios which scenarios to run
 * @param rates start rates of the pick-up scenario, processes per second
 * @param rateSeconds how long each rate runs
 * @param e2eProcesses 3-step processes started over HTTP in the end-to-end scenario
 * @param scaleFinished finished rows present in the table-scale scenario
 * @param scaleFuture future-scheduled rows present in the table-scale scenario
 * @param scaleTasks due tasks claimed in each table-scale step
 * @param memorySizes memories recalled from in the memory scenario, one database per size
 * @param memoryQueries recalls timed per size through the HNSW index
 * @param embedTexts texts a pod embeds in the memory scenario's throughput run
 * @param outDir where the Markdown and CSV go
 */
record BenchOptions(
    String databaseUrl,
    String databaseName,
    int tasks,
    int warmUpRound,
    List<Integer> pods,
    int processPods,
    Set<String> scenarios,
    List<Integer> rates,
    int rateSeconds,
    int e2eProcesses,
    int scaleFinished,
    int scaleFuture,
    int scaleTasks,
    List<Integer> memorySizes,
    int memoryQueries,
    int embedTexts,
    Path outDir) {

  static final List<String> ALL =
      List.of("drain", "limit", "peers", "pickup", "e2e", "scale", "memory");

  static final String USAGE =
      """
      usage: ./podflow bench [options]

        --database-url URL   server to run on (default $BENCH_DATABASE_URL, else
                             postgres://postgres@127.0.0.1:5432/postgres); the database
                             podflow_bench is dropped and created for every scenario
        --tasks N            tasks pre-inserted per queue drain (default 100000)
        --warm-up N          tasks per JVM in each warm-up round before a drain (the
                             pods' and the peers'); rounds repeat until the rate is
                             steady (default 20000)
        --pods 1,4,16        P of the in-process drains and of the raw-SQL limit
        --process-pods 4     P of the separate-process drain, and the peers' concurrency
        --scenarios LIST     any of drain,limit,peers,pickup,e2e,scale,memory (default all)
        --rates 50,500       pick-up: processes started per second over HTTP
        --rate-seconds 10    pick-up: how long each rate runs
        --e2e N              end to end: 3-step processes started over HTTP (default 3000)
        --scale-finished N   table scale: finished rows present (default 1000000)
        --scale-future N     table scale: rows scheduled for tomorrow (default 100000)
        --scale-tasks N      table scale: due tasks claimed per step (default 20000)
        --memory-sizes LIST  memory: memories recalled from, HNSW at each size and the
                             exact search (no pgvector) at the smallest (default 10000,100000)
        --memory-queries N   memory: recalls timed per HNSW size (default 1000); the exact
                             search, which reads every row, gets a tenth as many
        --embed-texts N      memory: texts one pod embeds for the throughput (default and
                             most 480)
        --out DIR            results directory (default bench/results)
        --quick              small sizes for a look in about two minutes

      Prints the table and writes DIR/<timestamp>.md and .csv.
      """;

  static BenchOptions parse(String[] args) {
    String url = System.getenv().getOrDefault("BENCH_DATABASE_URL", "");
    if (url.isBlank()) url = "postgres://postgres@127.0.0.1:5432/postgres";
    String dbName = "podflow_bench";
    int tasks = 100_000;
    int warmUp = 20_000;
    List<Integer> pods = List.of(1, 4, 16);
    int processPods = 4;
    Set<String> scenarios = new LinkedHashSet<>(ALL);
    List<Integer> rates = List.of(50, 500);
    int rateSeconds = 10;
    int e2e = 3000;
    int scaleFinished = 1_000_000;
    int scaleFuture = 100_000;
    int scaleTasks = 20_000;
    List<Integer> memorySizes = List.of(10_000, 100_000);
    int memoryQueries = 1000;
    int embedTexts = 480;
    Path out = Path.of("bench", "results");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--database-url" -> url = value(args, ++i, a);
        case "--database-name" -> dbName = value(args, ++i, a);
        case "--tasks" -> tasks = positive(value(args, ++i, a), a);
        case "--warm-up" -> warmUp = positive(value(args, ++i, a), a);
        case "--pods" -> pods = ints(value(args, ++i, a), a);
        case "--process-pods" -> processPods = positive(value(args, ++i, a), a);
        case "--scenarios" -> {
          scenarios = new LinkedHashSet<>(Arrays.asList(value(args, ++i, a).split(",")));
          for (String s : scenarios) {
            if (!ALL.contains(s)) throw new IllegalArgumentException("unknown scenario " + s);
          }
        }
        case "--rates" -> rates = ints(value(args, ++i, a), a);
        case "--rate-seconds" -> rateSeconds = positive(value(args, ++i, a), a);
        case "--e2e" -> e2e = positive(value(args, ++i, a), a);
        case "--scale-finished" -> scaleFinished = positive(value(args, ++i, a), a);
        case "--scale-future" -> scaleFuture = positive(value(args, ++i, a), a);
        case "--scale-tasks" -> scaleTasks = positive(value(args, ++i, a), a);
        case "--memory-sizes" -> memorySizes = ints(value(args, ++i, a), a);
        case "--memory-queries" -> memoryQueries = positive(value(args, ++i, a), a);
        case "--embed-texts" -> {
          embedTexts = positive(value(args, ++i, a), a);
          if (embedTexts > EmbeddingThroughput.DISTINCT_TEXTS) {
            throw new IllegalArgumentException(
                "--embed-texts takes at most " + EmbeddingThroughput.DISTINCT_TEXTS);
          }
        }
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--quick" -> {
          tasks = 5_000;
          warmUp = 2_000;
          rateSeconds = 4;
          e2e = 300;
          scaleFinished = 100_000;
          scaleFuture = 10_000;
          scaleTasks = 2_000;
          memorySizes = List.of(2_000, 10_000);
          memoryQueries = 300;
          embedTexts = 96;
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new BenchOptions(
        url,
        dbName,
        tasks,
        warmUp,
        pods,
        processPods,
        scenarios,
        rates,
        rateSeconds,
        e2e,
        scaleFinished,
        scaleFuture,
        scaleTasks,
        memorySizes,
        memoryQueries,
        embedTexts,
        out);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
    return args[i];
  }

  private static int positive(String v, String option) {
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a positive number, got " + v);
    }
  }

  private static List<Integer> ints(String v, String option) {
    List<Integer> out = new ArrayList<>();
    for (String part : v.split(",")) out.add(positive(part.strip(), option));
    return List.copyOf(out);
  }
}
