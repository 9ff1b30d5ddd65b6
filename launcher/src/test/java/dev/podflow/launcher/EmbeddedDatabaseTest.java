package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL keeps what it acknowledged, across crashes and restarts. */
class EmbeddedDatabaseTest {
  private static final int ROWS = 300;

  @TempDir Path dir;

  @Test
  void commitsAreSynchronousAndFsynced() throws SQLException {
    try (EmbeddedDatabase db = start(EmbeddedDatabase.Data.KEEP)) {
      assertThat(query(db, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(query(db, "SHOW fsync")).isEqualTo("on");
    }
  }

  @Test
  void everyAcknowledgedCommitSurvivesACrashAndTheNextStartReusesTheData() throws SQLException {
    EmbeddedDatabase first = start(EmbeddedDatabase.Data.KEEP);
    try (Connection c = connect(first);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE acked (n int PRIMARY KEY)");
      for (int n = 1; n <= ROWS; n++) st.execute("INSERT INTO acked VALUES (" + n + ")");
    }
    first.crash(); // at once after the last acknowledgement: nothing had time to flush later

    try (EmbeddedDatabase again = start(EmbeddedDatabase.Data.KEEP)) {
      assertThat(query(again, "SELECT count(*) FROM acked")).isEqualTo(Integer.toString(ROWS));
    }
  }

  @Test
  void freshStartsFromAnEmptyCluster() throws SQLException {
    try (EmbeddedDatabase first = start(EmbeddedDatabase.Data.KEEP)) {
      execute(first, "CREATE TABLE kept (n int)");
    }
    try (EmbeddedDatabase again = start(EmbeddedDatabase.Data.KEEP)) {
      assertThat(query(again, "SELECT to_regclass('kept') IS NOT NULL")).isEqualTo("t");
    }
    try (EmbeddedDatabase fresh = start(EmbeddedDatabase.Data.FRESH)) {
      assertThat(query(fresh, "SELECT to_regclass('kept') IS NULL")).isEqualTo("t");
    }
  }

  @Test
  void aSecondServerOnTheSameDirectoryIsRefusedAndTheFirstRunsOn() throws SQLException {
    try (EmbeddedDatabase first = start(EmbeddedDatabase.Data.KEEP)) {
      execute(first, "CREATE TABLE mine (n int)");

      for (EmbeddedDatabase.Data data : EmbeddedDatabase.Data.values()) {
        assertThatThrownBy(() -> start(data))
            .isInstanceOf(DataDirectoryInUseException.class)
            .hasMessageContaining("already running on " + dir.resolve("data"))
            .hasMessageContaining("PODFLOW_DATA_DIR");
      }

      assertThat(query(first, "SELECT to_regclass('mine') IS NOT NULL")).isEqualTo("t");
    }
  }

  @Test
  void aDirectoryThatIsNotAClusterIsNeitherUsedNorDeleted() throws Exception {
    Path notes = Files.createDirectories(dir.resolve("data")).resolve("notes.txt");
    Files.writeString(notes, "mine");

    for (EmbeddedDatabase.Data data : EmbeddedDatabase.Data.values()) {
      assertThatThrownBy(() -> start(data))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("no PostgreSQL data directory");
    }

    assertThat(Files.readString(notes)).isEqualTo("mine");
  }

  private EmbeddedDatabase start(EmbeddedDatabase.Data data) {
    return EmbeddedDatabase.start(dir.resolve("data"), 0, dir.resolve("data.log"), data);
  }

  private static Connection connect(EmbeddedDatabase db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), "postgres", null);
  }

  private static void execute(EmbeddedDatabase db, String sql) throws SQLException {
    try (Connection c = connect(db);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String query(EmbeddedDatabase db, String sql) throws SQLException {
    try (Connection c = connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
