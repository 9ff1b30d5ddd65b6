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
 * {@link NamedSql#parse}: {@code :name} parameters become JDBC's {@code ?} in order; colons in
 * string literals, quoted identifiers, comments and {@code ::} casts stay (jdbi's parser, where a
 * regular expression saw parameters); a name used several times is bound at each of its positions.
 * Binding is checked on a real PostgreSQL: {@code TEST_DATABASE_URL}, else the machine's server on
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
  void colonsInsideTimesAndCastsAreNotParameters() {
    NamedSql sql = NamedSql.parse("SELECT '12:30:00'::time, x::text FROM t WHERE y = :y");

    assertThat(sql.jdbcSql()).isEqualTo("SELECT '12:30:00'::time, x::text FROM t WHERE y = ?");
  }

  @Test
  void aColonWordInsideAStringLiteralIsText() throws SQLException {
    NamedSql sql = NamedSql.parse("SELECT ':notAParam' || 'it''s :neither' || CAST(:x AS text)");

    assertThat(sql.jdbcSql())
        .isEqualTo("SELECT ':notAParam' || 'it''s :neither' || CAST(? AS text)");
    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.text("x", "!");
      assertThat(single(st)).isEqualTo(":notAParamit's :neither!");
    }
  }

  @Test
  void aColonWordInsideAQuotedIdentifierIsPartOfTheName() throws SQLException {
    NamedSql sql = NamedSql.parse("SELECT v AS \"at:noon\" FROM (SELECT CAST(:v AS text) AS v) t");

    assertThat(sql.jdbcSql())
        .isEqualTo("SELECT v AS \"at:noon\" FROM (SELECT CAST(? AS text) AS v) t");
    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.text("v", "12");
      try (ResultSet rs = st.statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("at:noon");
      }
    }
  }

  @Test
  void colonWordsInCommentsAreNotParameters() throws SQLException {
    NamedSql sql =
        NamedSql.parse(
            """
            -- :comment at the start
            SELECT /* :x and :y */ CAST(:z AS text) -- :trailing
            """);

    try (NamedSql.Bound st = sql.prepare(connection)) {
      assertThatThrownBy(() -> st.text("x", "?"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no parameter :x");
      st.text("z", "only z");
      assertThat(single(st)).isEqualTo("only z");
    }
  }

  @Test
  void jsonbCastsOfParametersAndLiteralsStay() throws SQLException {
    NamedSql sql =
        NamedSql.parse("SELECT (:doc::jsonb || '{\"b\": 2}'::jsonb || CAST(:more AS jsonb))::text");

    assertThat(sql.jdbcSql())
        .isEqualTo("SELECT (?::jsonb || '{\"b\": 2}'::jsonb || CAST(? AS jsonb))::text");
    try (NamedSql.Bound st = sql.prepare(connection)) {
      st.text("doc", "{\"a\": 1}").json("more", "{\"c\": 3}");
      assertThat(single(st)).isEqualTo("{\"a\": 1, \"b\": 2, \"c\": 3}");
    }
  }

  @Test
  void anArraySliceWithoutSpacesIsRefusedRatherThanBoundAsAParameter() {
    assertThatThrownBy(() -> NamedSql.parse("SELECT (ARRAY[1,2,3])[1:2] WHERE :y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(":2")
        .hasMessageContaining("[a : b]");

    assertThat(NamedSql.parse("SELECT (ARRAY[1,2,3])[1 : 2] WHERE :y").jdbcSql())
        .isEqualTo("SELECT (ARRAY[1,2,3])[1 : 2] WHERE ?");
  }

  @Test
  void aPositionalQuestionMarkIsRefused() {
    assertThatThrownBy(() -> NamedSql.parse("SELECT * FROM t WHERE a = ?"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name every parameter");
  }

  @Test
  void aNumberWrittenInReplacesEveryUseOfItsParameterAndNoOther() throws SQLException {
    NamedSql template =
        NamedSql.parse("SELECT CAST(:limit AS int) + CAST(:limited AS int) + :limit");

    NamedSql written = template.withNumberWrittenIn("limit", 7);

    assertThat(written.jdbcSql()).isEqualTo("SELECT CAST(7 AS int) + CAST(? AS int) + 7");
    try (NamedSql.Bound st = written.prepare(connection)) {
      st.number("limited", 1);
      assertThat(single(st)).isEqualTo("15");
    }
  }

  @Test
  void aNumberIsNotWrittenInWhenItsNameAlsoAppearsAsText() {
    NamedSql template = NamedSql.parse("SELECT ':limit', CAST(:limit AS int)");

    assertThatThrownBy(() -> template.withNumberWrittenIn("limit", 7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 :limit")
        .hasMessageContaining("1 such parameters");
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
