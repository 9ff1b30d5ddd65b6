package dev.podflow.store.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Versioned process definitions ({@code proc_def}). SQL lives in {@code DefinitionDao/*.sql}. */
public interface DefinitionDao {

  /**
   * Stores the definition as the next version of its id and returns that version. Concurrent
   * uploads of one id are serialized by a transaction-scoped advisory lock on the id.
   */
  @Transaction
  default int definitionInsertNextVersion(String id, String name, JsonNode definition) {
    definitionLockId(id);
    return definitionInsert(id, name, definition);
  }

  @SqlQuery
  String definitionLockId(@Bind("id") String id);

  @SqlQuery
  int definitionInsert(
      @Bind("id") String id, @Bind("name") String name, @Bind("definition") JsonNode definition);

  @SqlQuery
  Optional<StoredDefinition> definitionGetLatest(@Bind("id") String id);

  @SqlQuery
  Optional<StoredDefinition> definitionGet(@Bind("id") String id, @Bind("version") int version);
}
