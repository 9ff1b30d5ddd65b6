package dev.podflow.launcher;

import dev.podflow.store.DatabaseConfig;
import dev.podflow.testing.TestDatabase;
import java.util.UUID;

/** A database of its own on the test server, with no schema at all; dropped on close. */
final class EmptyDatabase implements AutoCloseable {
  private final TestDatabase server = TestDatabase.shared();
  private final String name =
      "podflow_empty_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  EmptyDatabase() {
    server.database().jdbi().useHandle(h -> h.execute("CREATE DATABASE " + name));
  }

  DatabaseConfig config() {
    String url = server.config().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    return new DatabaseConfig(url, server.config().user(), server.config().password(), 2, name);
  }

  /** As {@code DATABASE_URL} takes it. */
  String url() {
    return server.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
  }

  @Override
  public void close() {
    server.database().jdbi().useHandle(h -> h.execute("DROP DATABASE " + name + " WITH (FORCE)"));
  }
}
