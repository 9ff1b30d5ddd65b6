package dev.podflow.bench;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.memory.MemorySettings;
import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.PendingEmbeddings;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import dev.podflow.store.memory.MemoryDao;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How fast one pod embeds what the API adds: {@code n} memories inserted without an embedding, as
 * the API writes them, then one {@link PendingEmbeddings#drain} — claim, embed with the in-process
 * all-MiniLM-L6-v2 in the pods' batches, write, and check each against the agent's memories for a
 * near-duplicate. The texts are distinct, business-rule-like sentences, so none should fold.
 */
final class EmbeddingThroughput {
  private static final String AGENT = "bench-embedding";
  private static final String WARM_UP_AGENT = "bench-embedding-warm-up";
  private static final int WARM_UP_BATCHES = 3;

  /** Texts per call of the model, as {@link PendingEmbeddings} embeds them. */
  private static final int BATCH = 16;

  private static final List<String> SUBJECTS =
      List.of(
          "Refund requests over 500 EUR",
          "Invoices from suppliers we have not paid before",
          "Travel expense claims without receipts",
          "Password reset tickets from contractors",
          "Orders shipped to Norway or Switzerland",
          "Complaints that mention a lawyer",
          "Purchase orders for laptops",
          "Customer addresses changed twice in a week",
          "Contracts that renew automatically",
          "Support answers to enterprise customers",
          "Job offers above the salary band",
          "Marketing emails to former customers",
          "Credit notes for damaged goods",
          "Access requests to the payroll system",
          "Discounts above fifteen percent",
          "Claims filed more than ninety days late",
          "Summaries of board meetings",
          "Replies to press inquiries",
          "New vendor bank details",
          "Cancellations during the trial month");
  private static final List<String> RULES =
      List.of(
          "need a second approval from the finance team",
          "must quote the contract number in the first line",
          "go to the legal queue before anyone replies",
          "are answered in the customer's own language",
          "are checked against the sanctions list first",
          "should be escalated to a team lead within one hour",
          "may only be approved by someone outside the requesting department",
          "have to include the order history of the last year",
          "are rejected unless the cost centre is filled in",
          "need a phone call to confirm the change",
          "must not promise a delivery date",
          "get a short apology and a concrete next step",
          "are logged in the risk register",
          "are held until the monthly close is finished",
          "require the manager's written consent",
          "are summarised in three bullet points at most",
          "should link the policy page instead of quoting it",
          "must be signed by two directors",
          "are never sent on a Friday afternoon",
          "are paid only after the goods receipt is posted",
          "get the VAT number verified in the EU register",
          "should mention the customer's account manager by name",
          "need the data protection officer in copy",
          "are archived for ten years");
  private static final List<String> REASONS =
      List.of(
          "because the auditors asked for it in March.",
          "since last quarter's fraud case.",
          "as the works council agreed.",
          "which the new policy requires.",
          "after a customer complained about it twice.",
          "so that the regulator's questions can be answered.",
          "because insurance will not cover it otherwise.",
          "as our largest customer demands it in the contract.",
          "since the old process lost several cases.",
          "which keeps the response time under a day.",
          "because that is what the CFO decided.",
          "so nobody has to ask again later.",
          "as the team found out the hard way.",
          "because the ERP system cannot reverse it.",
          "which saves a round of corrections.",
          "since two people left the team.",
          "because the bank charges a fee otherwise.",
          "as the tax adviser recommended.",
          "so the numbers match the monthly report.",
          "because customers kept asking for it.",
          "since the pilot in Berlin worked well.",
          "as the security review demanded.",
          "which avoids duplicate payments.",
          "because the template changed in January.");

  /** How many distinct texts {@link #text} makes. */
  static final int DISTINCT_TEXTS = SUBJECTS.size() * RULES.size();

  /**
   * @param texts how many memories were waiting
   * @param embedded how many have an embedding after the drain
   * @param folded how many were folded into a near-duplicate
   * @param perSecond texts through the drain per second
   * @param modelPerSecond the same texts through the model alone, in the same batches
   */
  record Result(int texts, int embedded, int folded, double perSecond, double modelPerSecond) {}

  private EmbeddingThroughput() {}

  static Result run(BenchDatabase bench, int n) {
    List<String> texts = IntStream.range(0, n).mapToObj(EmbeddingThroughput::text).toList();
    Embedder model = Embedders.local();
    try (Database db = Database.connect(bench.freshMigrated().withPool(2, "podflow-bench-embed"))) {
      // The pods' default threshold for folding a near-duplicate.
      double duplicateScore = MemorySettings.fromEnvironment(Map.of()).duplicateScore();
      PendingEmbeddings pod =
          new PendingEmbeddings(MemoryStore.open(db.jdbi(), model), duplicateScore);
      // Loads the model and warms the whole path (JIT, ONNX Runtime, jdbi's statements) on another
      // agent's memories, which nothing measured can fold into.
      waiting(db, WARM_UP_AGENT, texts.subList(0, Math.min(n, WARM_UP_BATCHES * BATCH)));
      pod.drain("bench-pod");

      long m0 = System.nanoTime();
      for (int i = 0; i < n; i += BATCH) model.embed(texts.subList(i, Math.min(n, i + BATCH)));
      double modelSeconds = (System.nanoTime() - m0) / 1e9;

      waiting(db, AGENT, texts);
      long t0 = System.nanoTime();
      pod.drain("bench-pod");
      double seconds = (System.nanoTime() - t0) / 1e9;
      int[] counts =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT count(*) FILTER (WHERE embedding IS NOT NULL), count(*)"
                                  + " FROM memories WHERE agent_id = ?")
                          .bind(0, AGENT)
                          .map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2)})
                          .one());
      return new Result(n, counts[0], n - counts[1], n / seconds, n / modelSeconds);
    }
  }

  /**
   * {@code texts} as memories of a new agent {@code agent}, without embeddings, as the API adds
   * them.
   */
  private static void waiting(Database db, String agent, List<String> texts) {
    Seed.agent(db, agent);
    db.jdbi()
        .useTransaction(
            h -> {
              MemoryDao dao = h.attach(MemoryDao.class);
              for (String text : texts) {
                dao.memoryInsert(
                    StartCommand.DEFAULT_TENANT,
                    agent,
                    null,
                    null,
                    "knowledge",
                    text,
                    null,
                    "bench");
              }
            });
  }

  /**
   * Text {@code i}: a subject, a rule and a reason. Two texts with one subject differ in rule and
   * reason, two with one rule in subject and reason, so no two are near-duplicates.
   */
  static String text(int i) {
    int subject = i % SUBJECTS.size();
    int round = i / SUBJECTS.size();
    int rule = round % RULES.size();
    int reason = (5 * round + subject) % REASONS.size();
    return SUBJECTS.get(subject) + " " + RULES.get(rule) + ", " + REASONS.get(reason);
  }
}
