package dev.podflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * One statement of a {@code .sql} file with {@code :name} parameters, turned once into JDBC's
 * positional form. The hot path binds it on a plain {@link PreparedStatement}: jdbi's per-statement
 * machinery (a configuration copy, argument factories, reflective row mappers specialized per
 * result set) cost more CPU than the database's work on these statements (profiled with JFR).
 * Immutable and thread-safe; {@link Bound} is not.
 */
final class NamedSql {
  private static final ClasspathSqlLocator LOCATOR = ClasspathSqlLocator.removingComments();

  /** {@code :name}, but not the second colon of a {@code ::type} cast. */
  private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):(\\w+)");

  private final String jdbcSql;

  /** Each parameter's 1-based positions in {@link #jdbcSql}. */
  private final Map<String, int[]> positions;

  private NamedSql(String jdbcSql, Map<String, int[]> positions) {
    this.jdbcSql = jdbcSql;
    this.positions = positions;
  }

  /** The statement in {@code <owner's package path>/<owner's name>/<name>.sql}. */
  static NamedSql load(Class<?> owner, String name) {
    return parse(text(owner, name));
  }

  /** The text of that file, comments removed. */
  static String text(Class<?> owner, String name) {
    return LOCATOR.locate(owner, name);
  }

  static NamedSql parse(String sql) {
    Map<String, List<Integer>> found = new HashMap<>();
    Matcher m = PARAMETER.matcher(sql);
    StringBuilder jdbc = new StringBuilder();
    int position = 0;
    while (m.find()) {
      found.computeIfAbsent(m.group(1), n -> new ArrayList<>()).add(++position);
      m.appendReplacement(jdbc, "?");
    }
    m.appendTail(jdbc);
    Map<String, int[]> positions = new HashMap<>();
    found.forEach((name, at) -> positions.put(name, at.stream().mapToInt(i -> i).toArray()));
    return new NamedSql(jdbc.toString(), Map.copyOf(positions));
  }

  String jdbcSql() {
    return jdbcSql;
  }

  /**
   * Prepares the statement on {@code connection}; the driver keeps it prepared on the server after
   * a few uses, keyed by its text.
   */
  Bound prepare(Connection connection) throws SQLException {
    return new Bound(connection.prepareStatement(jdbcSql));
  }

  /** A prepared statement whose parameters are set by name. Close it (try-with-resources). */
  final class Bound implements AutoCloseable {
    final PreparedStatement statement;
    private final Connection connection;

    private Bound(PreparedStatement statement) throws SQLException {
      this.statement = statement;
      this.connection = statement.getConnection();
    }

    Bound text(String name, String value) throws SQLException {
      for (int i : positions(name)) statement.setString(i, value);
      return this;
    }

    Bound number(String name, long value) throws SQLException {
      for (int i : positions(name)) statement.setLong(i, value);
      return this;
    }

    Bound nullableNumber(String name, Long value) throws SQLException {
      for (int i : positions(name)) {
        if (value == null) statement.setNull(i, Types.BIGINT);
        else statement.setLong(i, value);
      }
      return this;
    }

    Bound decimal(String name, double value) throws SQLException {
      for (int i : positions(name)) statement.setDouble(i, value);
      return this;
    }

    Bound uuid(String name, UUID value) throws SQLException {
      for (int i : positions(name)) statement.setObject(i, value);
      return this;
    }

    /** JSON text, sent untyped so the server reads it as the column's {@code jsonb}. */
    Bound json(String name, String value) throws SQLException {
      for (int i : positions(name)) {
        if (value == null) statement.setNull(i, Types.OTHER);
        else statement.setObject(i, value, Types.OTHER);
      }
      return this;
    }

    /** An array parameter of SQL element type {@code elementType}. */
    Bound array(String name, String elementType, Object[] values) throws SQLException {
      java.sql.Array array = connection.createArrayOf(elementType, values);
      for (int i : positions(name)) statement.setArray(i, array);
      return this;
    }

    private int[] positions(String name) {
      int[] at = positions.get(name);
      if (at == null) {
        throw new IllegalArgumentException("no parameter :" + name + " in " + jdbcSql);
      }
      return at;
    }

    @Override
    public void close() throws SQLException {
      statement.close();
    }
  }
}
