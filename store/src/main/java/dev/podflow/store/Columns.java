package dev.podflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Reads one column of the current row as the type the records hold: {@code timestamptz} as an
 * {@link Instant}, {@code jsonb} as a {@link JsonNode}, nullable numbers as boxed values. The row
 * mappers are written with these, by column name, and call no reflection.
 */
public final class Columns {
  private Columns() {}

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static JsonNode json(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : Json.parse(text);
  }

  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  public static UUID uuid(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }

  /** The constant of {@code type} the column names; null for SQL NULL. */
  public static <E extends Enum<E>> E enumValue(ResultSet rs, String column, Class<E> type)
      throws SQLException {
    String name = rs.getString(column);
    return name == null ? null : Enum.valueOf(type, name);
  }
}
