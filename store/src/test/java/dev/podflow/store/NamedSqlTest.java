package dev.podflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NamedSql#parse}: {@code :name} parameters become JDBC's {@code ?} in order, casts and
 * other colons stay, and a name used several times is bound at each of its positions. Binding is
 * checked on a real PostgreSQL: {@code TEST_DATABASE_URL}, else the machine's server on
 * 127.0.0.1:5432 (user {@code postgres}), the same order as the other modules' tests. The
 * statements only select; nothing is written.
 */
class NamedSqlTest {
  private static Connection connection;

  @BeforeAll
  static void connect() throws SQLException {
    String url = System.getenv("TEST_DATABASE_URL");
    DatabaseConfig config =
        url == null || url.isBlank()
            ? new DatabaseConfig(
                "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=3",
                "postgres",
                null,
                1,
                "named-sql-test")
            : DatabaseConfig.fromUrl(url);
    Properties props = new Properties();
    if (config.user() != null) props.setProperty("user", config.user());
    if (config.password() != null) props.setProperty("password", config.password());
    connection = DriverManager.getConnection(config.jdbcUrl(), props);
  }

  @AfterAll
  static void close() throws SQLException {
    if (connection != null) connection.close();
  }

  /** Runs a one-column, one-row query and returns its text. */
  private static String single(NamedSql.Bound bound) throws SQLException {
    try (ResultSet rs = bound.statement.executeQuery()) {
      assertThat(rs.next()).isTrue();
      String value = rs.getString(1);
      assertThat(rs.next()).isFalse();
      return value;
    }
  }

  @Test
  void namesBecomeQuestionMarksInTheOrderTheyAppear() throws SQLException {
    NamedSql sql =
        NamedSql.parse(
            "SELECT CAST(:first AS text) || '|' || CAST(:second AS text) || '|' || CAST(:third_3 AS text)");

    assertThat(sql.jdbcSql())
        .isEqualTo("SELECT CAST(? AS text) || '|' || CAST(? AS text) || '|' || CAST(? AS text)");
    // Bound out of order, by name: each value lands at its own position.
    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.text("third_3", "3").text("first", "1").text("second", "2");
      assertThat(single(st)).isEqualTo("1|2|3");
    }
  }

  @Test
  void doubleColonCastsAreLeftAlone() throws SQLException {
    NamedSql sql = NamedSql.parse("SELECT :doc::jsonb ->> 'k', '7'::int + :n::int");

    assertThat(sql.jdbcSql()).isEqualTo("SELECT ?::jsonb ->> 'k', '7'::int + ?::int");
    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.text("doc", "{\"k\":\"v\"}").number("n", 5);
      try (ResultSet rs = st.statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("v");
        assertThat(rs.getInt(2)).isEqualTo(12);
      }
    }
  }

  @Test
  void colonsThatFollowAWordCharacterAreNotParameters() {
    NamedSql sql =
        NamedSql.parse("SELECT '12:30:00'::time, (ARRAY[1,2,3])[1:2], x::text FROM t WHERE y = :y");

    assertThat(sql.jdbcSql())
        .isEqualTo("SELECT '12:30:00'::time, (ARRAY[1,2,3])[1:2], x::text FROM t WHERE y = ?");
  }

  @Test
  void aRepeatedNameIsBoundAtEveryPosition() throws SQLException {
    NamedSql sql =
        NamedSql.parse(
            "SELECT CAST(:a AS text) || CAST(:b AS text) || CAST(:a AS text) || CAST(:a AS text)");

    assertThat(sql.jdbcSql())
        .isEqualTo("SELECT " + "CAST(? AS text) || ".repeat(3) + "CAST(? AS text)");
    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.text("a", "x").text("b", "y");
      assertThat(single(st)).isEqualTo("xyxx");
    }
  }

  @Test
  void aRepeatedArrayParameterIsBoundAtEveryPosition() throws SQLException {
    NamedSql sql =
        NamedSql.parse(
            "SELECT cardinality(CAST(:ids AS bigint[])) + (SELECT sum(x) FROM unnest(CAST(:ids AS bigint[])) x)");

    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.array("ids", "bigint", new Long[] {10L, 20L, 30L});
      assertThat(single(st)).isEqualTo("63");
    }
  }

  @Test
  void bindingANameTheStatementLacksFailsNamingIt() throws SQLException {
    NamedSql sql = NamedSql.parse("SELECT CAST(:present AS text)");

    try (NamedSql.Bound st = sql.prepare(connection)) {
      assertThatThrownBy(() -> st.text("absent", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(":absent")
          .hasMessageContaining("SELECT CAST(? AS text)");
    }
  }
}
