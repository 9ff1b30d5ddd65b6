package dev.podflow.testing;

import dev.podflow.store.Database;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(PodflowDatabaseExtension.class)}: every test starts with empty tables in the
 * JVM's {@link TestDatabase}, and may take a {@link Database} or {@link TestDatabase} parameter.
 */
public final class PodflowDatabaseExtension implements BeforeEachCallback, ParameterResolver {
  @Override
  public void beforeEach(ExtensionContext context) {
    TestDatabase.shared().truncateAll();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Database.class || type == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestDatabase db = TestDatabase.shared();
    return parameter.getParameter().getType() == Database.class ? db.database() : db;
  }
}
