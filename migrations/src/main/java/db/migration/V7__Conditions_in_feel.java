package db.migration;

import dev.podflow.migrations.LegacyConditionTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Conditions become FEEL: rewrites every {@code when} of every stored definition version from the
 * first condition language to FEEL ({@link LegacyConditionTranslator}), so the versions that
 * instances are running keep their branches. Runs in Flyway's transaction: a condition that cannot
 * be translated stops the upgrade and changes nothing.
 */
public class V7__Conditions_in_feel extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (PreparedStatement conditions = connection.prepareStatement(sql("conditions.sql"));
        PreparedStatement update = connection.prepareStatement(sql("setCondition.sql"))) {
      conditions.setFetchSize(500);
      try (ResultSet row = conditions.executeQuery()) {
        while (row.next()) {
          String id = row.getString("id");
          int version = row.getInt("version");
          String feel;
          try {
            feel = LegacyConditionTranslator.toFeel(row.getString("condition"));
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                "definition "
                    + id
                    + " version "
                    + version
                    + ", /activities/"
                    + row.getInt("activity")
                    + "/next/"
                    + row.getInt("transition")
                    + "/when: "
                    + e.getMessage(),
                e);
          }
          update.setString(1, Integer.toString(row.getInt("activity")));
          update.setString(2, Integer.toString(row.getInt("transition")));
          update.setString(3, feel);
          update.setString(4, id);
          update.setInt(5, version);
          update.addBatch();
        }
      }
      update.executeBatch();
    }
  }

  private static String sql(String name) {
    try (InputStream in =
        V7__Conditions_in_feel.class.getResourceAsStream("/dev/podflow/migrations/V7/" + name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
