package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.PodflowException;
import dev.podflow.testing.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** api and pod refuse a database whose schema is behind the build, and say what to run. */
class SchemaCheckTest {

  @Test
  void unmigratedDatabaseIsRefusedUntilMigrated() {
    TestDatabase testDb = TestDatabase.shared();
    String name = "podflow_empty_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    testDb.database().jdbi().useHandle(h -> h.execute("CREATE DATABASE " + name));
    try {
      String url = testDb.config().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
      DatabaseConfig empty =
          new DatabaseConfig(
              url, testDb.config().user(), testDb.config().password(), 2, "schema-check");
      assertThatThrownBy(() -> Podflow.connectMigrated(empty))
          .isInstanceOf(PodflowException.class)
          .hasMessageContaining("lacks 2 migration(s)")
          .hasMessageContaining("run './podflow migrate' first");
      try (Database db = Database.connect(empty)) {
        assertThat(db.migrate()).isEqualTo(2);
      }
      Podflow.connectMigrated(empty).close();
    } finally {
      testDb.database().jdbi().useHandle(h -> h.execute("DROP DATABASE " + name + " WITH (FORCE)"));
    }
  }

  @Test
  void unreachableDatabaseIsReportedWithItsAddress() {
    DatabaseConfig nowhere =
        DatabaseConfig.fromUrl("postgres://nobody:secret@127.0.0.1:1/none?connectTimeout=2");
    assertThatThrownBy(() -> Podflow.connectMigrated(nowhere.withPool(1, "nowhere")))
        .isInstanceOf(PodflowException.class)
        .hasMessageContaining("cannot reach the database at")
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("secret");
  }
}
