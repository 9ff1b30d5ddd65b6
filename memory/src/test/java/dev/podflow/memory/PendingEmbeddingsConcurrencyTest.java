package dev.podflow.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Four pods drain the same waiting memories and documents at once: every memory is embedded by one
 * of them exactly once, two copies of one correction end as one memory (the per-agent lock), and
 * every document is claimed once and ends READY with its chunks numbered 0..n-1 exactly once.
 */
class PendingEmbeddingsConcurrencyTest {
  private static final int PODS = 4;

  @Test
  void fourPodsEmbedEachMemoryAndChunkEachDocumentOnce() throws Exception {
    Jdbi jdbi = TestDatabase.shared().database().jdbi();
    String agent = "clerk-" + UUID.randomUUID().toString().substring(0, 8);
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO agents (tenant_id, id, name) VALUES ('default', ?, 'C')", agent));
    List<String> facts =
        List.of(
            "Invoices are due within 30 days of issue.",
            "The office closes at 18:00 on Fridays.",
            "Parking spaces are assigned by seniority.",
            "Refunds above 500 euros need a manager's approval.",
            "Our support line answers in English, German and Korean.",
            "Laptops are replaced every four years.",
            "The cafeteria serves vegetarian food on Mondays.",
            "Passwords must be rotated every ninety days.",
            "Shipping to islands takes two extra days.",
            "New employees get a mentor for their first month.",
            "The quarterly report is published on the fifth business day.",
            "Customer data never leaves the European data centre.");
    String correction = "Always quote the order number in the first line of the reply.";
    jdbi.useHandle(
        h -> {
          for (String fact : facts) insertMemory(h, agent, fact);
          insertMemory(h, agent, correction);
          insertMemory(h, agent, correction);
        });
    List<Long> documents = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      String content = ("Section " + d + " of the handbook says something specific. ").repeat(60);
      documents.add(
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "INSERT INTO documents (tenant_id, agent_id, title, media_type, content,"
                              + " created_by) VALUES ('default', :a, 'H', 'text/plain', :c, 't')"
                              + " RETURNING id")
                      .bind("a", agent)
                      .bind("c", content)
                      .mapTo(Long.class)
                      .one()));
    }

    Map<String, AtomicInteger> embedded = new ConcurrentHashMap<>();
    Embedder counting = counting(Embedders.local(), embedded);
    MemoryStore store = MemoryStore.open(jdbi, counting);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pods = Executors.newFixedThreadPool(PODS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int p = 0; p < PODS; p++) {
        String podId = "pod-" + p;
        PendingEmbeddings pending = new PendingEmbeddings(store, 0.92);
        runs.add(
            pods.submit(
                () -> {
                  start.await();
                  return pending.drain(podId);
                }));
      }
      start.countDown();
      for (Future<?> run : runs) run.get();
    } finally {
      pods.shutdownNow();
    }

    for (String fact : facts) {
      assertThat(embedded.get(fact)).as(fact).hasValue(1);
    }
    assertThat(
            count(
                jdbi,
                "SELECT count(*) FROM memories WHERE agent_id = '"
                    + agent
                    + "' AND embedding IS NOT NULL"))
        .as("the facts and one of the two copies of the correction")
        .isEqualTo(facts.size() + 1);
    assertThat(count(jdbi, "SELECT count(*) FROM memories WHERE agent_id = '" + agent + "'"))
        .isEqualTo(facts.size() + 1);
    for (long document : documents) {
      String where = " FROM document_chunks WHERE document_id = " + document;
      assertThat(
              count(
                  jdbi,
                  "SELECT count(*) FROM documents WHERE status = 'READY' AND attempts = 1"
                      + " AND chunks = chunks_embedded AND id = "
                      + document))
          .as("document %s claimed once and READY", document)
          .isEqualTo(1);
      long chunks = count(jdbi, "SELECT count(*)" + where);
      assertThat(chunks).isGreaterThan(1);
      assertThat(count(jdbi, "SELECT count(DISTINCT ordinal)" + where)).isEqualTo(chunks);
      assertThat(count(jdbi, "SELECT max(ordinal) + 1" + where)).isEqualTo(chunks);
    }
  }

  private static void insertMemory(Handle h, String agent, String content) {
    h.execute(
        "INSERT INTO memories (tenant_id, agent_id, source, content, created_by)"
            + " VALUES ('default', ?, 'knowledge', ?, 'test')",
        agent,
        content);
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  /** {@code embedder}, counting how often each text was embedded. */
  private static Embedder counting(Embedder embedder, Map<String, AtomicInteger> counts) {
    return new Embedder() {
      @Override
      public String model() {
        return embedder.model();
      }

      @Override
      public int dimension() {
        return embedder.dimension();
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        texts.forEach(t -> counts.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet());
        return embedder.embed(texts);
      }
    };
  }
}
