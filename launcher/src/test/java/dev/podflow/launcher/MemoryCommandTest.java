package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.PendingEmbeddings;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.testing.TestDatabase;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code ./podflow memory reembed} run in-process against the test database: it marks the memories
 * another model embedded, and a pod's embedding pass replaces them with the configured model's.
 */
class MemoryCommandTest {
  private final TestDatabase testDb = TestDatabase.shared();
  private final Map<String, String> env = Map.of("DATABASE_URL", testDb.url());
  private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void reembedMarksWhatAnotherModelEmbeddedAndThePodsEmbedItAgain() {
    testDb
        .database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute("INSERT INTO tenants (id) VALUES (?)", tenant);
              h.execute(
                  "INSERT INTO agents (tenant_id, id, name) VALUES (?, 'clerk', 'C')", tenant);
              for (String model : new String[] {"old-model", Embedders.LOCAL_MODEL}) {
                h.execute(
                    "INSERT INTO memories (tenant_id, agent_id, source, content, created_by,"
                        + " embedding, embedding_model) VALUES (?, 'clerk', 'knowledge',"
                        + " 'Invoices are due in 30 days.', 'test',"
                        + " array_fill(0.1::real, ARRAY[384]), ?)",
                    tenant,
                    model);
              }
              long document =
                  h.createQuery(
                          "INSERT INTO documents (tenant_id, title, media_type, content, status,"
                              + " created_by) VALUES (?, 'H', 'text/plain', 'Text.', 'READY',"
                              + " 'test') RETURNING id")
                      .bind(0, tenant)
                      .mapTo(Long.class)
                      .one();
              h.execute(
                  "INSERT INTO document_chunks (document_id, tenant_id, ordinal, content,"
                      + " embedding, embedding_model) VALUES (?, ?, 0, 'Text.',"
                      + " array_fill(0.1::real, ARRAY[384]), 'old-model')",
                  document,
                  tenant);
            });

    CommandRun run = CommandRun.run(env, "memory", "reembed", "--tenant", tenant);
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("1 memories and 1 documents of tenant " + tenant + " marked");
    assertThat(count("reembed")).isEqualTo(1);
    assertThat(
            testDb.number(
                "SELECT count(*) FROM documents WHERE status = 'QUEUED' AND tenant_id = '"
                    + tenant
                    + "'"))
        .isEqualTo(1);

    PendingEmbeddings pending =
        new PendingEmbeddings(MemoryStore.open(testDb.database().jdbi(), Embedders.local()), 0.99);
    pending.drain("test-pod"); // other tests' memories and documents may be waiting too
    assertThat(count("reembed")).isZero();
    assertThat(count("embedding_model = '" + Embedders.LOCAL_MODEL + "'")).isEqualTo(2);

    CommandRun all = CommandRun.run(env, "memory", "reembed", "--tenant", tenant, "--all");
    assertThat(all.out()).contains("2 memories and 1 documents of tenant " + tenant + " marked");
  }

  private long count(String condition) {
    return testDb.number(
        "SELECT count(*) FROM memories WHERE tenant_id = '" + tenant + "' AND " + condition);
  }
}
