package dev.podflow.bench;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's limit: the claim → complete cycle as raw SQL, driven by {@code pgbench -c P -j P}
 * over {@code n} pre-inserted tasks. The statements are the pods' claim of one task ({@code
 * bareClaim.sql}, returning only the id and token) and its fenced completion ({@code
 * bareComplete.sql}), each in its own transaction, one task at a time per client: no events, no
 * instance, no successors. A Java engine cannot beat it without batching. {@code todolist} gets the
 * upkeep Podflow's pods give it ({@link VacuumAlongside}). Run twice: with both commits
 * synchronous, and with the claim committing asynchronously as Podflow's does (see the store's
 * {@code HotSql/taskClaim.sql}).
 */
final class PgbenchLimit {
  private static final String SQL = "/dev/podflow/bench/";
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");

  private PgbenchLimit() {}

  /** The cycle script pgbench runs: two statements, two transactions. */
  static String script(boolean asyncClaim) throws IOException {
    String returning =
        "RETURNING id, quote_literal(claim_token) AS token"
            + (asyncClaim ? ", set_config('synchronous_commit', 'off', true) AS async_commit" : "");
    String claim = strip(read("bareClaim.sql")).replace("RETURNING *", returning);
    String complete =
        strip(read("bareComplete.sql"))
            .replace(":claimToken", ":token")
            .replace(":output", "'{}'::jsonb");
    return "\\set leaseSeconds 30\n" + claim + " \\gset\n" + complete + ";\n";
  }

  /** Tasks per second (one cycle = one task). */
  static double run(BenchDatabase bench, int tasks, int clients, boolean asyncClaim, Path workDir)
      throws IOException, InterruptedException {
    DatabaseConfig config = bench.freshMigrated();
    try (Database db = Database.connect(config.withPool(2, "podflow-bench-seed"))) {
      Seed.definitions(db);
      Seed.noopInstances(db, tasks, "now()");
    }
    bench.checkpoint();
    Files.createDirectories(workDir);
    Path script = workDir.resolve("cycle.sql");
    Files.writeString(script, script(asyncClaim));
    int perClient = tasks / clients;
    List<String> cmd =
        List.of(
            "pgbench",
            "-n",
            "-c",
            Integer.toString(clients),
            "-j",
            Integer.toString(clients),
            "-t",
            Integer.toString(perClient),
            "-D",
            "podId='pgbench'",
            "-f",
            script.toString(),
            bench.libpqUrl());
    String out;
    int code;
    try (VacuumAlongside upkeep = VacuumAlongside.start(config, "todolist")) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      code = p.waitFor();
    }
    Matcher m = TPS.matcher(out);
    if (code != 0 || !m.find()) {
      throw new IllegalStateException("pgbench failed (exit " + code + "):\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  /** True when pgbench is on the PATH. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String read(String file) throws IOException {
    try (InputStream in = PgbenchLimit.class.getResourceAsStream(SQL + file)) {
      if (in == null) throw new IOException("missing " + SQL + file + " on the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The statement without its comment lines, on one line (pgbench reads a statement per line). */
  private static String strip(String sql) {
    StringBuilder b = new StringBuilder();
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) continue;
      b.append(t).append(' ');
    }
    return b.toString().strip();
  }
}
