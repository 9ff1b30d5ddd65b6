package dev.podflow.memory;

import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.memory.RecalledChunk;
import dev.podflow.store.memory.RecalledMemory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's memory: recall for its LLM steps ({@link #recall}) and, on a background thread, the
 * embedding of memories and the chunking of documents the API added ({@link PendingEmbeddings}:
 * bulk embedding runs on pods, never in the API). That thread looks every second while it finds
 * work and backs off to every {@link #MAX_INTERVAL} while there is none, so a hundred idle pods ask
 * the database a few dozen cheap questions a second, and a correction is embedded within seconds.
 * One per pod ({@link PodServices#components}), started by the first plug-in that asks, closed with
 * the pod. Thread-safe.
 */
public final class PodMemory implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration MAX_INTERVAL = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(PodMemory.class);

  private final MemoryStore store;
  private final PendingEmbeddings pending;
  private final MemorySettings settings;
  private final ScheduledExecutorService loop;
  private final String podId;
  private Duration idleDelay = INTERVAL;

  private PodMemory(MemoryStore store, MemorySettings settings, String podId) {
    this.store = store;
    this.pending = new PendingEmbeddings(store, settings.duplicateScore());
    this.podId = podId;
    this.settings = settings;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("podflow-memory-embedder").factory());
    loop.schedule(this::embedSafely, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The pod's memory, started on first use. */
  public static PodMemory forPod(PodServices pod) {
    return pod.components()
        .get(
            PodMemory.class,
            () -> {
              MemorySettings settings = MemorySettings.fromEnvironment(pod.settings());
              MemoryStore store =
                  MemoryStore.open(pod.jdbi(), Embedders.fromEnvironment(pod.settings()));
              return new PodMemory(store, settings, pod.podId());
            });
  }

  public MemoryStore store() {
    return store;
  }

  /** One look for work; the next comes after {@link #INTERVAL}, or later while none is found. */
  private void embedSafely() {
    boolean found = false;
    try {
      found = pending.drain(podId);
    } catch (RuntimeException e) {
      LOG.warn("[memory] embedding pending memories failed: {}", e.toString());
    }
    idleDelay = found ? INTERVAL : min(idleDelay.multipliedBy(2), MAX_INTERVAL);
    if (!loop.isShutdown()) {
      try {
        loop.schedule(this::embedSafely, idleDelay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // the pod closed its memory meanwhile
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** What a step recalled: memories, then document chunks, each best first. */
  public record Recall(List<RecalledMemory> memories, List<RecalledChunk> chunks) {
    public static final Recall NOTHING = new Recall(List.of(), List.of());

    public boolean isEmpty() {
      return memories.isEmpty() && chunks.isEmpty();
    }
  }

  /**
   * What an LLM step of {@code agentId} should know about {@code text}: the nearest memories, then
   * the nearest document chunks ({@link MemorySettings} narrowed by the agent's {@code profile}:
   * top-k of each, the minimum score, the sources), cut to the token budget with memories first
   * (the best memory, or chunk when there is none, always stays). Embeds {@code text} once, and not
   * at all when recall is off or there is nothing to recall.
   */
  public Recall recall(
      String tenantId,
      String agentId,
      String userId,
      String definitionId,
      String text,
      RecallProfile profile) {
    if (!profile.recall()
        || !store.anythingToRecall(
            tenantId, agentId, userId, profile.sources(), profile.documents())) {
      return Recall.NOTHING;
    }
    MemorySettings narrowed = profile.narrow(settings);
    float[] query = store.embed(text);
    List<RecalledMemory> memories =
        store.recall(
            tenantId,
            agentId,
            userId,
            definitionId,
            profile.sources(),
            query,
            narrowed.topK(),
            narrowed.minScore());
    List<RecalledChunk> chunks =
        profile.documents()
            ? store.recallChunks(tenantId, agentId, query, narrowed.topK(), narrowed.minScore())
            : List.of();
    Budget budget = new Budget(narrowed.tokenBudget());
    return new Recall(
        memories.stream().filter(m -> budget.take(m.content())).toList(),
        chunks.stream().filter(c -> budget.take(c.content())).toList());
  }

  /** Tokens left, estimated as characters / 4; the first text always fits. */
  private static final class Budget {
    private int left;
    private boolean first = true;

    Budget(int tokens) {
      this.left = tokens;
    }

    boolean take(String text) {
      int cost = text.length() / 4 + 1;
      if (!first && cost > left) return false;
      first = false;
      left -= cost;
      return true;
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
