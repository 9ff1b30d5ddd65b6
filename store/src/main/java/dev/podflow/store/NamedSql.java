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
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedParameters;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlParser;

/**
 * One statement of a {@code .sql} file with {@code :name} parameters, turned once into JDBC's
 * positional form by jdbi's own parser ({@link ColonPrefixSqlParser}, the one the DAOs' statements
 * go through), which knows string literals, quoted identifiers, comments and {@code ::} casts. The
 * hot path binds it on a plain {@link PreparedStatement}: jdbi's per-statement machinery (a
 * configuration copy, argument factories) cost more CPU than the database's work on these
 * statements (profiled with JFR). Immutable and thread-safe; {@link Bound} is not.
 *
 * <p>Like the DAOs' statements, these take no {@code ?} parameters, no dollar-quoted text, and no
 * array slice written {@code [1:2]} (the parser reads {@code :2} as a parameter, which {@link
 * #parse} refuses): write it {@code [1 : 2]}.
 */
final class NamedSql {
  private static final ClasspathSqlLocator LOCATOR = ClasspathSqlLocator.removingComments();
  private static final SqlParser PARSER = new ColonPrefixSqlParser();

  /** The statement as written, with its {@code :name} parameters. */
  private final String namedSql;

  private final String jdbcSql;

  /** Each parameter's 1-based positions in {@link #jdbcSql}. */
  private final Map<String, int[]> positions;

  private NamedSql(String namedSql, String jdbcSql, Map<String, int[]> positions) {
    this.namedSql = namedSql;
    this.jdbcSql = jdbcSql;
    this.positions = positions;
  }

  /** The statement in {@code <owner's package path>/<owner's name>/<name>.sql}. */
  static NamedSql load(Class<?> owner, String name) {
    return parse(LOCATOR.locate(owner, name));
  }

  static NamedSql parse(String sql) {
    ParsedSql parsed = PARSER.parse(sql, null);
    ParsedParameters parameters = parsed.getParameters();
    if (parameters.isPositional() && parameters.getParameterCount() > 0) {
      throw new IllegalArgumentException("name every parameter (:name), no ? in: " + sql);
    }
    Map<String, List<Integer>> found = new HashMap<>();
    List<String> names = parameters.getParameterNames();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (!Character.isJavaIdentifierStart(name.charAt(0))) {
        throw new IllegalArgumentException(
            "parameter :"
                + name
                + " does not start with a letter; an array slice [a:b] is written [a : b] in: "
                + sql);
      }
      found.computeIfAbsent(name, n -> new ArrayList<>()).add(i + 1);
    }
    Map<String, int[]> positions = new HashMap<>();
    found.forEach((name, at) -> positions.put(name, at.stream().mapToInt(i -> i).toArray()));
    return new NamedSql(sql, parsed.getSql(), Map.copyOf(positions));
  }

  /**
   * This statement with parameter {@code name} written into its text as {@code value}, where a
   * bound value would change the server's plan (a {@code LIMIT}, see {@code taskClaim.sql}). Fails
   * unless each {@code :name} in the text is that parameter, so none hides in a literal or a
   * comment.
   */
  NamedSql withNumberWrittenIn(String name, long value) {
    return withLiteralWrittenIn(name, Long.toString(value));
  }

  /**
   * This statement with parameter {@code name} written into its text as {@code true} or {@code
   * false}, so the planner can fold away what it guards (see {@code taskClaim.sql}); as {@link
   * #withNumberWrittenIn}.
   */
  NamedSql withBooleanWrittenIn(String name, boolean value) {
    return withLiteralWrittenIn(name, Boolean.toString(value));
  }

  /** {@code literal} is a number or a boolean this class wrote, never text from elsewhere. */
  private NamedSql withLiteralWrittenIn(String name, String literal) {
    String placeholder = ":" + name;
    List<Integer> at = new ArrayList<>();
    for (int i = namedSql.indexOf(placeholder); i >= 0; i = namedSql.indexOf(placeholder, i + 1)) {
      int after = i + placeholder.length();
      boolean longerName =
          after < namedSql.length() && Character.isJavaIdentifierPart(namedSql.charAt(after));
      if (!longerName) at.add(i);
    }
    int parameters = positions.containsKey(name) ? positions.get(name).length : 0;
    if (at.isEmpty() || at.size() != parameters) {
      throw new IllegalStateException(
          "the text has "
              + at.size()
              + " "
              + placeholder
              + " but the statement "
              + parameters
              + " such parameters: "
              + namedSql);
    }
    StringBuilder written = new StringBuilder(namedSql);
    for (int k = at.size() - 1; k >= 0; k--) {
      written.replace(at.get(k), at.get(k) + placeholder.length(), literal);
    }
    return parse(written.toString());
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
