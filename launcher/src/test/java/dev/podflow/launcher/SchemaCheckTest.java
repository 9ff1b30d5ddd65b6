package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.PodflowException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** api, pod and keys refuse a database whose schema is behind the build, and say what to run. */
class SchemaCheckTest {
  private static final String MIGRATIONS = "db/migration";

  @Test
  void unmigratedDatabaseIsRefusedUntilMigrated() throws Exception {
    int migrations = migrationsOnTheClassPath();
    assertThat(migrations).isGreaterThanOrEqualTo(2);
    try (EmptyDatabase emptyDatabase = new EmptyDatabase()) {
      DatabaseConfig empty = emptyDatabase.config();
      assertThatThrownBy(() -> MigratedDatabase.connect(empty, Duration.ZERO))
          .isInstanceOf(PodflowException.class)
          .hasMessageContaining("lacks " + migrations + " migration(s)")
          .hasMessageContaining("run './podflow migrate' first");
      try (Database db = Database.connect(empty)) {
        assertThat(db.migrate()).isEqualTo(migrations);
      }
      MigratedDatabase.connect(empty, Duration.ZERO).close();
    }
  }

  /**
   * The Flyway migrations the build ships ({@code db/migration/V<n>__*.sql}, and the classes of
   * Java ones), counted rather than written down, so adding one does not break this test.
   */
  private static int migrationsOnTheClassPath() throws Exception {
    URI dir = SchemaCheckTest.class.getClassLoader().getResource(MIGRATIONS).toURI();
    if (!dir.getScheme().equals("jar")) return countMigrations(Path.of(dir));
    try (FileSystem jar = FileSystems.newFileSystem(dir, Map.of())) {
      return countMigrations(jar.getPath(MIGRATIONS));
    }
  }

  private static int countMigrations(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return (int)
          files
              .filter(f -> f.getFileName().toString().matches("V\\d+__[^$]+\\.(sql|class)"))
              .count();
    }
  }

  @Test
  void unreachableDatabaseIsReportedWithItsAddress() {
    DatabaseConfig nowhere =
        DatabaseConfig.fromUrl("postgres://nobody:secret@127.0.0.1:1/none?connectTimeout=2");
    assertThatThrownBy(
            () -> MigratedDatabase.connect(nowhere.withPool(1, "nowhere"), Duration.ZERO))
        .isInstanceOf(PodflowException.class)
        .hasMessageContaining("cannot reach the database at")
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("secret");
  }

  @Test
  void aDatabaseThatComesUpWhileThePodWaitsIsReached() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    DatabaseConfig later =
        new DatabaseConfig(
            "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2",
            "postgres",
            null,
            2,
            "schema-wait");
    var waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                MigratedDatabase.connect(later, Duration.ofSeconds(60)).close();
                return "connected";
              } catch (PodflowException e) {
                return e.getMessage();
              }
            });
    Thread.sleep(2_000); // the pod is now waiting for a server that is not there yet
    assertThat(waiting).isNotDone();
    try (var postgres =
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setPort(port).start()) {
      // Reached: the fresh server has no schema, which is the answer a reachable database gives.
      assertThat(waiting.get(60, java.util.concurrent.TimeUnit.SECONDS))
          .contains("run './podflow migrate' first");
    }
  }
}
