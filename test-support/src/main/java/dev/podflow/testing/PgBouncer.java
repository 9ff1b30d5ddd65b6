package dev.podflow.testing;

import dev.podflow.store.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real PgBouncer ({@code /usr/sbin/pgbouncer}, Debian's 1.18) in transaction mode in front of a
 * {@link TestDatabase}, on a free port, with its configuration and log in a temporary directory.
 * Its databases: {@code podflow} (the login), {@code podflow_pod} and {@code podflow_api}, whose
 * server sessions act as that role (a {@code connect_query}: PgBouncer passes no role from the
 * client).
 */
public final class PgBouncer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private final TestDatabase target;
  private final Path dir;
  private final int port;
  private final Process process;

  private PgBouncer(TestDatabase target, Path dir, int port, Process process) {
    this.target = target;
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts one whose pools hold at most {@code poolSize} server sessions per database. */
  public static PgBouncer start(TestDatabase target, int poolSize) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: run scripts/install-debian-tools.sh as root (Debian's pgbouncer)");
    }
    try {
      Path dir = Files.createTempDirectory("podflow-pgbouncer");
      // PgBouncer refuses to run as root; it then runs as postgres, which must write its log here.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      int port = freePort();
      Files.writeString(dir.resolve("pgbouncer.ini"), ini(target.config(), dir, port, poolSize));
      Files.writeString(
          dir.resolve("userlist.txt"),
          "\""
              + target.config().user()
              + "\" \""
              + nullToEmpty(target.config().password())
              + "\"\n");
      List<String> command = new ArrayList<>(List.of(BINARY.toString()));
      if ("root".equals(System.getProperty("user.name"))) command.addAll(List.of("-u", "postgres"));
      command.add(dir.resolve("pgbouncer.ini").toString());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.txt").toFile())
              .start();
      PgBouncer bouncer = new PgBouncer(target, dir, port, process);
      bouncer.awaitListening();
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String ini(DatabaseConfig db, Path dir, int port, int poolSize) {
    URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    String server =
        "host="
            + uri.getHost()
            + " port="
            + uri.getPort()
            + " dbname="
            + uri.getPath().substring(1);
    return """
        [databases]
        podflow = %1$s
        podflow_pod = %1$s connect_query='SET ROLE podflow_pod'
        podflow_api = %1$s connect_query='SET ROLE podflow_api'
        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %2$d
        unix_socket_dir =
        auth_type = trust
        auth_file = %3$s/userlist.txt
        admin_users = %4$s
        pool_mode = transaction
        default_pool_size = %5$d
        max_client_conn = 500
        ignore_startup_parameters = extra_float_digits
        logfile = %3$s/pgbouncer.log
        """
        .formatted(server, port, dir, db.user(), poolSize);
  }

  /**
   * A pool through this PgBouncer to {@code database} ({@code podflow}, {@code podflow_pod}, …).
   */
  public DatabaseConfig config(String database, int poolSize, String poolName) {
    DatabaseConfig direct = target.config();
    return new DatabaseConfig(
            "jdbc:postgresql://127.0.0.1:" + port + "/" + database,
            direct.user(),
            direct.password(),
            poolSize,
            poolName)
        .behindPooler(direct);
  }

  /**
   * The rows of an admin console command ({@code SHOW POOLS}, {@code SHOW STATS}), by column. It
   * runs through psql: pgjdbc always sends {@code extra_float_digits}, which the console refuses.
   */
  public List<Map<String, String>> show(String command) {
    List<String> lines = psql(command);
    if (lines == null) {
      throw new IllegalStateException(command + " failed on PgBouncer: " + log());
    }
    String[] header = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) row.put(header[i], cells[i]);
      rows.add(row);
    }
    return rows;
  }

  /** The row of {@code database} in an admin console command's answer. */
  public Map<String, String> show(String command, String database) {
    return show(command).stream()
        .filter(row -> database.equals(row.get("database")))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(command + " has no row for " + database));
  }

  /** The CSV lines psql prints for {@code command} on the admin console; null when it fails. */
  private List<String> psql(String command) {
    try {
      Process psql =
          new ProcessBuilder(
                  "psql",
                  "--csv",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-U",
                  target.config().user(),
                  "-d",
                  "pgbouncer",
                  "-c",
                  command)
              .redirectErrorStream(true)
              .start();
      List<String> lines = new String(psql.getInputStream().readAllBytes()).lines().toList();
      return psql.waitFor() == 0 ? lines : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run psql for PgBouncer's admin console", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking PgBouncer", e);
    }
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (psql("SHOW VERSION") == null) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String log = log(); // before close() deletes it
        close();
        throw new IllegalStateException("PgBouncer did not start: " + log);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while PgBouncer starts", interrupted);
      }
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("stdout.txt"))
          + (Files.exists(dir.resolve("pgbouncer.log"))
              ? Files.readString(dir.resolve("pgbouncer.log"))
              : "");
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Stops PgBouncer and deletes its directory (a failed start has put its log in the error). */
  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary directory left behind harms nothing
    }
  }
}
