package dev.podflow.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a chaos run does. {@link Duration#ZERO} turns an injury off.
 *
 * @param pods pod processes kept running
 * @param slots {@code PODFLOW_POD_SLOTS} of each pod
 * @param duration how long processes are started and injuries made
 * @param rate processes started per second
 * @param killEvery SIGKILL a random pod this often (and start a replacement)
 * @param terminateEvery {@code pg_terminate_backend} every other backend of the database this often
 * @param restartEvery restart PostgreSQL this often
 * @param restartMode {@code immediate} (the default: SIGKILL the postmaster and its backends, a
 *     crash and WAL recovery, which is what the harness exists to test) or {@code fast} (pg_ctl
 *     stop -m fast); embedded PostgreSQL only
 * @param pgDowntime how long PostgreSQL stays down during a restart
 * @param databaseUrl an existing database instead of the embedded one; null for embedded
 * @param restartCommand with {@code databaseUrl}: a shell command that restarts that PostgreSQL
 * @param poisonShare share of started processes whose one activity is a {@code fail} step (they end
 *     in ERROR by design)
 * @param drainTimeout how long the pods may take to finish the work once the injuries stop
 * @param seed seeds the choice of victims and poison processes
 * @param podJavaOptions JVM options of the pod processes
 * @param workDir where logs, the summary and the embedded data directory go by default
 * @param logDir one log file per pod process, plus the harness's own
 * @param summaryFile the Markdown summary
 * @param keepData keep the embedded data directory after a passing run too (it is always kept after
 *     a failing one)
 */
public record ChaosOptions(
    int pods,
    int slots,
    Duration duration,
    double rate,
    Duration killEvery,
    Duration terminateEvery,
    Duration restartEvery,
    String restartMode,
    Duration pgDowntime,
    String databaseUrl,
    String restartCommand,
    double poisonShare,
    Duration drainTimeout,
    long seed,
    List<String> podJavaOptions,
    Path workDir,
    Path logDir,
    Path summaryFile,
    boolean keepData) {

  static final String USAGE =
      """
      usage: chaos/run.sh [options]

      Runs pod processes against one PostgreSQL and a steady stream of processes while it injures
      the system, then verifies from the database that nothing was lost and nothing done twice.
      Prints one summary line; exits 0 on PASS, 1 on FAIL, 2 on bad options.

        --pods N               pod processes kept running (4)
        --slots N              PODFLOW_POD_SLOTS of each pod (1)
        --duration D           how long to start processes and injure (10m); D is 90s, 10m, 1h, 500ms
        --rate R               processes started per second (20)
        --kill-every D         SIGKILL a random pod, start a replacement with a new id (15s)
        --terminate-every D    pg_terminate_backend() every other backend of the database (20s)
        --restart-every D      restart PostgreSQL (60s); 0 or off turns any injury off
        --restart-mode M       immediate (a crash: SIGKILL PostgreSQL, recover from its WAL) or
                               fast (pg_ctl stop -m fast) (immediate)
        --pg-downtime D        how long PostgreSQL stays down in a restart (2s)
        --database-url URL     use this database instead of an embedded PostgreSQL; restarts are
                               then skipped unless --restart-command is given
        --restart-command CMD  shell command that restarts the PostgreSQL of --database-url
        --poison-share F       share of processes whose one step is a fail step: they end in ERROR
                               by design (0.01)
        --drain-timeout D      how long the pods may take to finish once injuries stop (10m)
        --seed N               seeds victims and poison choices (random)
        --pod-java-opts "…"    JVM options of the pods (-Xmx256m -XX:+UseSerialGC)
        --log-dir DIR          pod and harness logs (chaos/target/chaos-logs)
        --summary FILE         Markdown summary (chaos/target/chaos-summary.md)
        --keep-data            keep the embedded data directory (chaos/target/chaos-pgdata) after
                               a PASS too; it is always kept after a FAIL
      """;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  public ChaosOptions {
    if (pods < 1 || pods > 64) throw new IllegalArgumentException("--pods must be 1 to 64");
    if (slots < 1 || slots > 256) throw new IllegalArgumentException("--slots must be 1 to 256");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (!(rate > 0 && rate <= 10_000)) {
      throw new IllegalArgumentException("--rate must be above 0 and at most 10000");
    }
    if (!(poisonShare >= 0 && poisonShare <= 1)) {
      throw new IllegalArgumentException("--poison-share must be from 0 to 1");
    }
    if (!restartMode.equals("fast") && !restartMode.equals("immediate")) {
      throw new IllegalArgumentException("--restart-mode must be fast or immediate");
    }
    podJavaOptions = List.copyOf(podJavaOptions);
  }

  /** The defaults, with files under {@code workDir}. */
  public static ChaosOptions defaults(Path workDir) {
    return new ChaosOptions(
        4,
        1,
        Duration.ofMinutes(10),
        20,
        Duration.ofSeconds(15),
        Duration.ofSeconds(20),
        Duration.ofSeconds(60),
        "immediate",
        Duration.ofSeconds(2),
        null,
        null,
        0.01,
        Duration.ofMinutes(10),
        System.nanoTime(),
        List.of("-Xmx256m", "-XX:+UseSerialGC"),
        workDir,
        workDir.resolve("chaos-logs"),
        workDir.resolve("chaos-summary.md"),
        false);
  }

  /**
   * Parses {@code --name value} and {@code --name=value}.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  public static ChaosOptions parse(String[] args, Path workDir) {
    ChaosOptions o = defaults(workDir);
    int pods = o.pods;
    int slots = o.slots;
    Duration duration = o.duration;
    double rate = o.rate;
    Duration kill = o.killEvery;
    Duration terminate = o.terminateEvery;
    Duration restart = o.restartEvery;
    String restartMode = o.restartMode;
    Duration downtime = o.pgDowntime;
    String url = null;
    String restartCommand = null;
    double poison = o.poisonShare;
    Duration drain = o.drainTimeout;
    long seed = o.seed;
    List<String> javaOptions = o.podJavaOptions;
    Path logDir = o.logDir;
    Path summary = o.summaryFile;
    boolean keepData = false;
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String arg = rest.removeFirst();
      if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + arg);
      if (arg.equals("--keep-data")) {
        keepData = true;
        continue;
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (rest.isEmpty()) {
        throw new IllegalArgumentException(arg + " needs a value");
      } else {
        value = rest.removeFirst();
      }
      switch (name) {
        case "--pods" -> pods = integer(name, value);
        case "--slots" -> slots = integer(name, value);
        case "--duration" -> duration = duration(name, value);
        case "--rate" -> rate = decimal(name, value);
        case "--kill-every" -> kill = duration(name, value);
        case "--terminate-every" -> terminate = duration(name, value);
        case "--restart-every" -> restart = duration(name, value);
        case "--restart-mode" -> restartMode = value;
        case "--pg-downtime" -> downtime = duration(name, value);
        case "--database-url" -> url = value.isBlank() ? null : value;
        case "--restart-command" -> restartCommand = value.isBlank() ? null : value;
        case "--poison-share" -> poison = decimal(name, value);
        case "--drain-timeout" -> drain = duration(name, value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--pod-java-opts" ->
            javaOptions = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
        case "--log-dir" -> logDir = Path.of(value);
        case "--summary" -> summary = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (restartCommand != null && url == null) {
      throw new IllegalArgumentException(
          "--restart-command needs --database-url (the embedded PostgreSQL restarts on its own)");
    }
    return new ChaosOptions(
        pods,
        slots,
        duration,
        rate,
        kill,
        terminate,
        restart,
        restartMode,
        downtime,
        url,
        restartCommand,
        poison,
        drain,
        seed,
        javaOptions,
        workDir,
        logDir,
        summary,
        keepData);
  }

  boolean embedded() {
    return databaseUrl == null;
  }

  /** Whether PostgreSQL restarts are made: always on embedded, with a command otherwise. */
  boolean restarts() {
    return !restartEvery.isZero() && (embedded() || restartCommand != null);
  }

  /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 500ms}; a bare number is seconds; 0/off: none. */
  static Duration duration(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("off") || v.equals("never") || v.equals("none")) return Duration.ZERO;
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          name + " takes a duration like 90s, 10m, 1h or 500ms (or off), got '" + value + "'");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          default -> amount * 3_600_000;
        };
    return Duration.ofMillis(Math.round(millis));
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes a whole number, got '" + value + "'");
    }
  }

  private static double decimal(String name, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes a number, got '" + value + "'");
    }
  }
}
