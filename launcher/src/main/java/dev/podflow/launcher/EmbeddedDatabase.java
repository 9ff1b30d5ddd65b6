package dev.podflow.launcher;

import dev.podflow.store.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A throw-away PostgreSQL server for the demo: real PostgreSQL binaries shipped in a Maven jar,
 * started in a temporary directory and removed on close. It has no pgvector.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedDatabase start() {
    try {
      return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  DatabaseConfig config() {
    return new DatabaseConfig(
        postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, 10, "podflow");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
